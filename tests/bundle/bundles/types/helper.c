/* A library a test bundle ships in its own lib/ folder, found only through berth's verified
 * copy (the bundle linking it has no run path to it). HELPER_ANSWER selects the build. */
#ifndef HELPER_ANSWER
#define HELPER_ANSWER 42
#endif
__attribute__((visibility("default"))) int types_helper_answer(void) {
  return HELPER_ANSWER;
}
