// A shared library without get_native_lib.
int something(void) { return 1; }
