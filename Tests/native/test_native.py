"""`swim run --native-lib`: native libraries in WAMR's ABI, built here with clang and run by an
installed `swim` (make native-test). Usage: test_native.py SWIM CC"""

import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SWIM = CC = ""
BUILD = ""

IMPORTS = """
  (import "env" "add_i32" (func $add_i32 (param i32 i32) (result i32)))
  (import "env" "add_i64" (func $add_i64 (param i64 i64) (result i64)))
  (import "env" "mul_f32" (func $mul_f32 (param f32 f32) (result f32)))
  (import "env" "mul_f64" (func $mul_f64 (param f64 f64) (result f64)))
  (import "env" "mix12" (func $mix12 (param i32 i64 f32 f64 i32 i64 f32 f64 i32 i64 f32 f64) (result f64)))
  (import "env" "fill" (func $fill (param i32 i32 i32) (result i32)))
  (import "env" "store_byte" (func $store_byte (param i32 i32)))
  (import "env" "string_length" (func $string_length (param i32) (result i32)))
  (import "env" "copy_checked" (func $copy_checked (param i32 i32) (result i32)))
  (import "env" "touch" (func $touch (param i32)))
  (import "env" "byte_with_high_bits" (func $byte_with_high_bits (param i32) (result i32)))
  (import "env" "fail" (func $fail (param i32)))
  (import "env" "attachment" (func $attachment (result i32)))
  (import "env" "untyped_add" (func $untyped_add (param i32 i32) (result i32)))
  (import "env" "_add_i32" (func $underscored (param i32 i32) (result i32)))
"""

MODULE = """(module %s
  (memory (export "memory") 1)
  (data (i32.const 100) "hello, native\\00")
  (func (export "add_i32") (param i32 i32) (result i32) (call $add_i32 (local.get 0) (local.get 1)))
  (func (export "add_i64") (param i64 i64) (result i64) (call $add_i64 (local.get 0) (local.get 1)))
  (func (export "mul_f32") (param f32 f32) (result f32) (call $mul_f32 (local.get 0) (local.get 1)))
  (func (export "mul_f64") (param f64 f64) (result f64) (call $mul_f64 (local.get 0) (local.get 1)))
  (func (export "mix12") (result f64)
    (call $mix12 (i32.const 1) (i64.const 2) (f32.const 3) (f64.const 4) (i32.const 5) (i64.const 6)
                 (f32.const 7) (f64.const 8) (i32.const 9) (i64.const 10) (f32.const 11) (f64.const 12)))
  ;; Fills [offset, offset + length) with 7s; returns the length times 2^16 plus the first and
  ;; last bytes and the bytes around the buffer (which must stay 0).
  (func (export "fill") (param $offset i32) (param $length i32) (result i32)
    (i32.add
      (i32.add (i32.shl (call $fill (local.get $offset) (local.get $length) (i32.const 7)) (i32.const 16))
               (i32.add (i32.load8_u (local.get $offset))
                        (i32.load8_u (i32.sub (i32.add (local.get $offset) (local.get $length)) (i32.const 1)))))
      (i32.add (i32.load8_u (i32.sub (local.get $offset) (i32.const 1)))
               (i32.load8_u (i32.add (local.get $offset) (local.get $length))))))
  (func (export "store_byte") (param i32 i32) (result i32)
    (call $store_byte (local.get 0) (local.get 1)) (i32.load8_u (local.get 0)))
  (func (export "string_length") (param i32) (result i32) (call $string_length (local.get 0)))
  ;; The last 4 bytes of memory without a NUL.
  (func (export "unterminated") (result i32)
    (i32.store (i32.const 65532) (i32.const 0x41414141)) (call $string_length (i32.const 65532)))
  ;; Copies "hello, native" from 100 to the target; returns the count times 1000 plus the 5th byte.
  (func (export "copy") (param i32) (result i32)
    (i32.add (i32.mul (call $copy_checked (i32.const 100) (local.get 0)) (i32.const 1000))
             (i32.load8_u (i32.add (local.get 0) (i32.const 4)))))
  (func (export "touch") (param i32) (result i32)
    (call $touch (local.get 0)) (call $touch (local.get 0)) (i32.load (local.get 0)))
  (func (export "byte_with_high_bits") (param i32) (result i32) (call $byte_with_high_bits (local.get 0)))
  (func (export "fail") (param i32) (call $fail (local.get 0)))
  (func (export "attachment") (result i32) (call $attachment))
  (func (export "untyped_add") (param i32 i32) (result i32) (call $untyped_add (local.get 0) (local.get 1)))
  (func (export "underscored") (param i32 i32) (result i32) (call $underscored (local.get 0) (local.get 1)))
)""" % IMPORTS


def build_library(name):
    output = os.path.join(BUILD, "lib%s.so" % name)
    subprocess.run([CC, "-shared", "-fPIC", "-O2", "-Wall", "-o", output, os.path.join(HERE, name + ".c")],
                   check=True)
    return output


def write_module(name, text):
    path = os.path.join(BUILD, name + ".wat")
    with open(path, "w") as f:
        f.write(text)
    return path


def swim(*arguments):
    return subprocess.run([SWIM, "run", *arguments], capture_output=True, text=True, timeout=60)


class NativeLibraryTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.library = build_library("testlib")
        cls.module = write_module("native", MODULE)

    def invoke(self, name, *arguments):
        return swim("--native-lib", self.library, "--invoke", name, self.module, *arguments)

    def assertResult(self, name, arguments, expected):
        result = self.invoke(name, *arguments)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), expected)

    def assertTrap(self, name, arguments, message):
        result = self.invoke(name, *arguments)
        self.assertEqual(result.returncode, 134, result.stdout + result.stderr)
        self.assertIn(message, result.stderr)

    def test_every_number_letter(self):
        self.assertResult("add_i32", ["40", "2"], "42")
        self.assertResult("add_i32", ["-5", "2"], "-3")
        self.assertResult("add_i64", ["4000000000", "5000000000"], "9000000000")
        self.assertResult("mul_f32", ["1.5", "4"], "6.0")
        self.assertResult("mul_f64", ["0.5", "-3"], "-1.5")

    def test_twelve_mixed_arguments(self):
        # 1 + 2*2 + 3*3 + ... + 12*12
        self.assertResult("mix12", [], "650.0")

    def test_pointer_with_length_is_written_in_place(self):
        # 16 bytes written, first and last are 7, the neighbours stay 0.
        self.assertResult("fill", ["1000", "16"], str(16 * 65536 + 14))
        # A buffer ending exactly at the end of memory is in bounds.
        self.assertResult("fill", ["65520", "15"], str(15 * 65536 + 14))

    def test_pointer_without_length(self):
        self.assertResult("store_byte", ["500", "200"], "200")

    def test_string(self):
        self.assertResult("string_length", ["100"], "13")

    def test_out_of_bounds_arguments_trap_before_the_call(self):
        self.assertTrap("fill", ["65530", "10"], "out of bounds memory access")
        self.assertTrap("fill", ["70000", "0"], "out of bounds memory access")
        self.assertTrap("store_byte", ["65536", "1"], "out of bounds memory access")
        self.assertTrap("string_length", ["65536"], "out of bounds memory access")
        self.assertTrap("unterminated", [], "out of bounds memory access")

    def test_helpers(self):
        self.assertResult("copy", ["200"], str(14 * 1000 + ord("o")))
        self.assertResult("touch", ["300"], "2")
        self.assertResult("attachment", [], "42")

    def test_helpers_read_the_low_32_bits_of_a_32_bit_memory_offset(self):
        # "hello, native" is at 100: byte 104 is "o".
        self.assertResult("byte_with_high_bits", ["104"], str(ord("o")))

    def test_a_helper_refusing_an_address_traps(self):
        self.assertTrap("copy", ["65530"], "out of bounds memory access")
        self.assertTrap("touch", ["65534"], "out of bounds memory access")

    def test_set_exception_is_a_trap_with_its_message(self):
        self.assertTrap("fail", ["3"], "native failure 3")

    def test_no_signature_passes_numbers_by_value(self):
        self.assertResult("untyped_add", ["20", "22"], "42")

    def test_a_leading_underscore_is_optional(self):
        self.assertResult("underscored", ["1", "2"], "3")

    def test_init_and_deinit_run_around_the_program(self):
        result = self.invoke("add_i32", "1", "1")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr.split(), ["init_native_lib", "deinit_native_lib"])

    def test_signature_mismatch_is_a_link_error_naming_the_import(self):
        module = write_module("mismatch", """(module
          (import "env" "add_i32" (func (param i64 i64) (result i64))))""")
        result = swim("--native-lib", self.library, module)
        self.assertEqual(result.returncode, 1)
        self.assertIn("import env.add_i32", result.stderr)
        self.assertIn('"(ii)i"', result.stderr)

    def test_a_pointer_letter_needs_an_i32(self):
        module = write_module("pointer_mismatch", """(module
          (import "env" "string_length" (func (param i64) (result i32))))""")
        result = swim("--native-lib", self.library, module)
        self.assertEqual(result.returncode, 1)
        self.assertIn("import env.string_length", result.stderr)

    def test_a_missing_symbol_is_an_unknown_import(self):
        module = write_module("missing", """(module (import "env" "no_such_function" (func)))""")
        result = swim("--native-lib", self.library, module)
        self.assertEqual(result.returncode, 1)
        self.assertIn("unknown import: env.no_such_function", result.stderr)

    def test_a_64_bit_memory_cannot_pass_pointers(self):
        module = write_module("memory64", """(module
          (import "env" "string_length" (func (param i32) (result i32)))
          (memory i64 1))""")
        result = swim("--native-lib", self.library, module)
        self.assertEqual(result.returncode, 1)
        self.assertIn("64-bit", result.stderr)

    def test_with_wasi(self):
        module = write_module("wasi", """(module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "env" "fill" (func $fill (param i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 0) "\\10\\00\\00\\00\\05\\00\\00\\00")
          (func (export "_start")
            (drop (call $fill (i32.const 16) (i32.const 4) (i32.const 0x61)))
            (i32.store8 (i32.const 20) (i32.const 10))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))""")
        result = swim("--native-lib", self.library, module)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "aaaa\n")


class ExportTests(unittest.TestCase):
    HELPERS = ["wasm_runtime_get_module_inst", "wasm_runtime_get_function_attachment",
               "wasm_runtime_validate_app_addr", "wasm_runtime_validate_app_str_addr",
               "wasm_runtime_validate_native_addr", "wasm_runtime_addr_app_to_native",
               "wasm_runtime_addr_native_to_app", "wasm_runtime_set_exception", "wasm_runtime_get_exception",
               "wasm_runtime_clear_exception"]

    def test_swim_exports_the_wamr_helpers(self):
        table = subprocess.run(["nm", "-D", "--defined-only", SWIM], capture_output=True, text=True, check=True)
        exported = {line.split()[-1] for line in table.stdout.splitlines() if line.split()[1:2] == ["T"]}
        self.assertEqual([h for h in self.HELPERS if h not in exported], [])


class LoadErrorTests(unittest.TestCase):
    def setUp(self):
        self.module = write_module("empty", "(module)")

    def test_a_failing_init_stops_the_run(self):
        result = swim("--native-lib", build_library("failinit"), self.module)
        self.assertEqual(result.returncode, 1)
        self.assertIn("init_native_lib failed with 7", result.stderr)

    def test_a_library_without_get_native_lib(self):
        result = swim("--native-lib", build_library("notalib"), self.module)
        self.assertEqual(result.returncode, 1)
        self.assertIn("get_native_lib", result.stderr)

    def test_a_missing_file(self):
        result = swim("--native-lib", os.path.join(BUILD, "nonexistent.so"), self.module)
        self.assertEqual(result.returncode, 1)
        self.assertIn("nonexistent.so", result.stderr)


if __name__ == "__main__":
    SWIM, CC = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as directory:
        BUILD = directory
        unittest.main(argv=[sys.argv[0], "-v"])
