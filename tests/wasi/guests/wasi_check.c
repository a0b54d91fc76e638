// A WASI command that reports what it sees, for the end-to-end tests (wasi_e2e_test.cc).
// usage: wasi_check MODE ...
//   env NAME...      prints NAME=value or NAME unset for each name
//   args ...         prints argc and each argument
//   stdin            copies stdin to stdout
//   files DIR        reads DIR/input.txt, writes DIR/output.txt, lists DIR
//   escape PATH...   tries to open each path; prints "PATH: denied" or "PATH: OPENED"
//   exit CODE        exits with CODE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int files(const char* dir) {
  char path[512];
  snprintf(path, sizeof path, "%s/input.txt", dir);
  FILE* in = fopen(path, "r");
  if (!in) {
    printf("cannot open %s: %s\n", path, strerror(errno));
    return 1;
  }
  char line[256] = {0};
  if (!fgets(line, sizeof line, in)) line[0] = 0;
  fclose(in);
  printf("input: %s", line);
  snprintf(path, sizeof path, "%s/output.txt", dir);
  FILE* out = fopen(path, "w");
  if (!out) {
    printf("cannot create %s: %s\n", path, strerror(errno));
    return 1;
  }
  fprintf(out, "written by the guest\n");
  fclose(out);
  DIR* d = opendir(dir);
  if (!d) return 1;
  int entries = 0;
  for (struct dirent* e; (e = readdir(d)) != NULL;) {
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) ++entries;
  }
  closedir(d);
  printf("entries: %d\n", entries);
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const char* mode = argv[1];
  if (!strcmp(mode, "args")) {
    printf("argc: %d\n", argc);
    for (int i = 1; i < argc; ++i) printf("arg: %s\n", argv[i]);
    return 0;
  }
  if (!strcmp(mode, "env")) {
    for (int i = 2; i < argc; ++i) {
      const char* value = getenv(argv[i]);
      if (value)
        printf("%s=%s\n", argv[i], value);
      else
        printf("%s unset\n", argv[i]);
    }
    return 0;
  }
  if (!strcmp(mode, "stdin")) {
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, stdin)) > 0) fwrite(buffer, 1, n, stdout);
    return 0;
  }
  if (!strcmp(mode, "files") && argc == 3) return files(argv[2]);
  if (!strcmp(mode, "escape")) {
    int opened = 0;
    for (int i = 2; i < argc; ++i) {
      FILE* f = fopen(argv[i], "r");
      printf("%s: %s\n", argv[i], f ? "OPENED" : "denied");
      if (f) {
        ++opened;
        fclose(f);
      }
    }
    return opened;
  }
  if (!strcmp(mode, "exit") && argc == 3) exit(atoi(argv[2]));
  return 2;
}
