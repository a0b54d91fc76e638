/* A shared library that is not a bundle: it exports no berth_bundle_entry. */
__attribute__((visibility("default"))) int not_a_bundle(void) {
  return 42;
}
