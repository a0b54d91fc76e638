// The C++ twin of wasi_check.c: the same modes, through iostreams, std::string and RAII files
// (Debian's wasm32-wasi libc++ has no <fstream> or <filesystem>).
#include <dirent.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

using File = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

File open_file(const std::string& path, const char* mode) {
  return File(std::fopen(path.c_str(), mode), &std::fclose);
}

int files(const std::string& dir) {
  File in = open_file(dir + "/input.txt", "r");
  if (!in) {
    std::cout << "cannot open " << dir << "/input.txt\n";
    return 1;
  }
  std::string line;
  for (int c; (c = std::fgetc(in.get())) != EOF && c != '\n';) line += static_cast<char>(c);
  std::cout << "input: " << line << "\n";
  File out = open_file(dir + "/output.txt", "w");
  if (!out) {
    std::cout << "cannot create " << dir << "/output.txt\n";
    return 1;
  }
  std::fputs("written by the guest\n", out.get());
  out.reset();
  std::unique_ptr<DIR, int (*)(DIR*)> listing(opendir(dir.c_str()), &closedir);
  if (!listing) return 1;
  std::vector<std::string> names;
  while (dirent* entry = readdir(listing.get())) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  std::cout << "entries: " << names.size() << "\n";
  return 0;
}

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  if (args.size() < 2) return 2;
  const std::string& mode = args[1];
  if (mode == "args") {
    std::cout << "argc: " << argc << "\n";
    for (size_t i = 1; i < args.size(); ++i) std::cout << "arg: " << args[i] << "\n";
    return 0;
  }
  if (mode == "env") {
    for (size_t i = 2; i < args.size(); ++i) {
      const char* value = std::getenv(args[i].c_str());
      if (value)
        std::cout << args[i] << "=" << value << "\n";
      else
        std::cout << args[i] << " unset\n";
    }
    return 0;
  }
  if (mode == "stdin") {
    std::cout << std::cin.rdbuf();
    return 0;
  }
  if (mode == "files" && args.size() == 3) return files(args[2]);
  if (mode == "escape") {
    int opened = 0;
    for (size_t i = 2; i < args.size(); ++i) {
      File f = open_file(args[i], "r");
      std::cout << args[i] << ": " << (f ? "OPENED" : "denied") << "\n";
      if (f) ++opened;
    }
    return opened;
  }
  if (mode == "exit" && args.size() == 3) std::exit(std::atoi(args[2].c_str()));
  return 2;
}
