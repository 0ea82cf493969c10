import Swim

/// The `spectest` host module the official scripts import.
func defineSpectest(in linker: inout Linker, store: Store) throws {
    let printTypes: [(String, [ValueType])] = [
        ("print", []), ("print_i32", [.i32]), ("print_i64", [.i64]), ("print_f32", [.f32]),
        ("print_f64", [.f64]), ("print_i32_f32", [.i32, .f32]), ("print_f64_f64", [.f64, .f64]),
    ]
    for (name, parameters) in printTypes {
        linker.defineFunction("spectest", name, store: store, type: FunctionType(parameters: parameters)) { _, _ in [] }
    }
    let globals: [(String, ValueType, Value)] = [
        ("global_i32", .i32, .i32(666)), ("global_i64", .i64, .i64(666)),
        ("global_f32", .f32, Value(Float(666.6))), ("global_f64", .f64, Value(Double(666.6))),
    ]
    for (name, type, value) in globals {
        let global = try Global(store: store, type: GlobalType(mutability: .constant, valueType: type), value: value)
        linker.define("spectest", name, .global(global))
    }
    let table = try Table(store: store, type: TableType(elementType: .funcref, limits: Limits(min: 10, max: 20)))
    linker.define("spectest", "table", .table(table))
    // The reference interpreter's 64-bit table (table64), with the same limits.
    let table64 = try Table(store: store, type: TableType(elementType: .funcref, limits: Limits(min: 10, max: 20, is64: true)))
    linker.define("spectest", "table64", .table(table64))
    let memory = try Memory(store: store, type: MemoryType(limits: Limits(min: 1, max: 2)))
    linker.define("spectest", "memory", .memory(memory))
}
