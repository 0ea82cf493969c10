// A native library whose init_native_lib fails: swim must refuse to run.
#include <stdint.h>
int init_native_lib(void) { return 7; }
uint32_t get_native_lib(char **module_name, void **symbols) { *module_name = "env"; *symbols = 0; return 0; }
