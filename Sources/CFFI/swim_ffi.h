// libffi for Swift (SwimNative only). ffi_type_* are C globals that Swift can read but not
// take a stable address of, and FFI_DEFAULT_ABI is a macro-like enum value: these wrappers
// give Swift both.
#ifndef SWIM_FFI_H
#define SWIM_FFI_H

#include <ffi.h>

static inline ffi_type *swim_ffi_type_void(void) { return &ffi_type_void; }
static inline ffi_type *swim_ffi_type_uint32(void) { return &ffi_type_uint32; }
static inline ffi_type *swim_ffi_type_uint64(void) { return &ffi_type_uint64; }
static inline ffi_type *swim_ffi_type_float(void) { return &ffi_type_float; }
static inline ffi_type *swim_ffi_type_double(void) { return &ffi_type_double; }
static inline ffi_type *swim_ffi_type_pointer(void) { return &ffi_type_pointer; }

/// ffi_prep_cif with the platform's default ABI; returns 0 on success.
static inline int swim_ffi_prep_cif(ffi_cif *cif, unsigned int count, ffi_type *result, ffi_type **arguments) {
    return ffi_prep_cif(cif, FFI_DEFAULT_ABI, count, result, arguments) == FFI_OK ? 0 : -1;
}

/// ffi_call with the function as a plain pointer.
static inline void swim_ffi_call(ffi_cif *cif, void *function, void *result, void **arguments) {
    ffi_call(cif, (void (*)(void))function, result, arguments);
}

#endif
