// A native library in WAMR's ABI for Tests/native/test_native.py: one function per signature
// letter, a 12-argument mixed call, pointer writes, and calls to the WAMR helper functions.
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef void *wasm_exec_env_t;
typedef void *wasm_module_inst_t;
typedef struct {
    const char *symbol;
    void *func_ptr;
    const char *signature;
    void *attachment;
} NativeSymbol;

// WAMR 2.x's declarations (wasm_export.h); swim exports these.
wasm_module_inst_t wasm_runtime_get_module_inst(wasm_exec_env_t);
void *wasm_runtime_get_function_attachment(wasm_exec_env_t);
bool wasm_runtime_validate_app_addr(wasm_module_inst_t, uint64_t offset, uint64_t size);
bool wasm_runtime_validate_app_str_addr(wasm_module_inst_t, uint64_t offset);
bool wasm_runtime_validate_native_addr(wasm_module_inst_t, void *native, uint64_t size);
void *wasm_runtime_addr_app_to_native(wasm_module_inst_t, uint64_t offset);
uint64_t wasm_runtime_addr_native_to_app(wasm_module_inst_t, void *native);
void wasm_runtime_set_exception(wasm_module_inst_t, const char *message);
const char *wasm_runtime_get_exception(wasm_module_inst_t);

static int32_t add_i32(wasm_exec_env_t env, int32_t a, int32_t b) { return a + b; }
static int64_t add_i64(wasm_exec_env_t env, int64_t a, int64_t b) { return a + b; }
static float mul_f32(wasm_exec_env_t env, float a, float b) { return a * b; }
static double mul_f64(wasm_exec_env_t env, double a, double b) { return a * b; }

// Twelve arguments of every kind, more than fit in registers: a weighted sum.
static double mix12(wasm_exec_env_t env, int32_t a, int64_t b, float c, double d, int32_t e, int64_t f,
                    float g, double h, int32_t i, int64_t j, float k, double l) {
    return a + 2.0 * b + 3.0 * c + 4.0 * d + 5.0 * e + 6.0 * f + 7.0 * g + 8.0 * h + 9.0 * i + 10.0 * j
        + 11.0 * k + 12.0 * l;
}

// `*~`: fills the buffer with a byte; returns its length.
static int32_t fill(wasm_exec_env_t env, uint8_t *buffer, uint32_t length, int32_t byte) {
    memset(buffer, byte, length);
    return (int32_t)length;
}

// `*` without a length: one i32 written through the pointer.
static void store_byte(wasm_exec_env_t env, uint8_t *pointer, int32_t value) { *pointer = (uint8_t)value; }

// `$`: the string's length.
static int32_t string_length(wasm_exec_env_t env, const char *s) { return (int32_t)strlen(s); }

// The helpers: checks an address both ways, then copies the string at `from` to `to`.
static int32_t copy_checked(wasm_exec_env_t env, int32_t from, int32_t to) {
    wasm_module_inst_t instance = wasm_runtime_get_module_inst(env);
    if (!wasm_runtime_validate_app_str_addr(instance, (uint32_t)from)) return -1;
    const char *source = wasm_runtime_addr_app_to_native(instance, (uint32_t)from);
    size_t length = strlen(source) + 1;
    if (!wasm_runtime_validate_app_addr(instance, (uint32_t)to, length)) return -2;
    char *target = wasm_runtime_addr_app_to_native(instance, (uint32_t)to);
    if (!wasm_runtime_validate_native_addr(instance, target, length)) return -3;
    if (wasm_runtime_addr_native_to_app(instance, target) != (uint32_t)to) return -4;
    memcpy(target, source, length);
    return (int32_t)length;
}

// A helper refusing an address: WAMR's helpers then leave an exception, so the call traps.
static void touch(wasm_exec_env_t env, int32_t offset) {
    wasm_module_inst_t instance = wasm_runtime_get_module_inst(env);
    if (!wasm_runtime_validate_app_addr(instance, (uint32_t)offset, 4)) return;
    *(int32_t *)wasm_runtime_addr_app_to_native(instance, (uint32_t)offset) += 1;
}

// A library built against WAMR 1.x passes offsets as uint32_t: whatever is in the upper half of
// the register must not count for a 32-bit memory. Reads the byte at `offset` that way.
static int32_t byte_with_high_bits(wasm_exec_env_t env, int32_t offset) {
    wasm_module_inst_t instance = wasm_runtime_get_module_inst(env);
    uint64_t dirty = 0xdead000000000000ULL | (uint32_t)offset;
    if (!wasm_runtime_validate_app_addr(instance, dirty, 0xbeef000000000001ULL)) return -1;
    return *(uint8_t *)wasm_runtime_addr_app_to_native(instance, dirty);
}

static void fail(wasm_exec_env_t env, int32_t code) {
    char message[64];
    snprintf(message, sizeof message, "native failure %d", code);
    wasm_runtime_set_exception(wasm_runtime_get_module_inst(env), message);
}

static int32_t attachment(wasm_exec_env_t env) {
    return *(int32_t *)wasm_runtime_get_function_attachment(env);
}

static int32_t answer = 42;

static NativeSymbol symbols[] = {
    {"add_i32", add_i32, "(ii)i", NULL},
    {"add_i64", add_i64, "(II)I", NULL},
    {"mul_f32", mul_f32, "(ff)f", NULL},
    {"mul_f64", mul_f64, "(FF)F", NULL},
    {"mix12", mix12, "(iIfFiIfFiIfF)F", NULL},
    {"fill", fill, "(*~i)i", NULL},
    {"store_byte", store_byte, "(*i)", NULL},
    {"string_length", string_length, "($)i", NULL},
    {"copy_checked", copy_checked, "(ii)i", NULL},
    {"touch", touch, "(i)", NULL},
    {"byte_with_high_bits", byte_with_high_bits, "(i)i", NULL},
    {"fail", fail, "(i)", NULL},
    {"attachment", attachment, "()i", &answer},
    {"untyped_add", add_i32, NULL, NULL},
};

uint32_t get_native_lib(char **module_name, NativeSymbol **native_symbols) {
    *module_name = "env";
    *native_symbols = symbols;
    return sizeof symbols / sizeof symbols[0];
}

int init_native_lib(void) {
    fprintf(stderr, "init_native_lib\n");
    return 0;
}

void deinit_native_lib(void) { fprintf(stderr, "deinit_native_lib\n"); }
