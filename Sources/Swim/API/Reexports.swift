import WasmTypes

// The WasmTypes vocabulary embedders need, so that `import Swim` is enough.
public typealias ValueType = WasmTypes.ValueType
public typealias FunctionType = WasmTypes.FunctionType
public typealias RefType = WasmTypes.RefType
public typealias HeapType = WasmTypes.HeapType
public typealias TableType = WasmTypes.TableType
public typealias MemoryType = WasmTypes.MemoryType
public typealias GlobalType = WasmTypes.GlobalType
public typealias Limits = WasmTypes.Limits
public typealias Mutability = WasmTypes.Mutability
public typealias V128 = WasmTypes.V128
public typealias WasmFeatures = WasmTypes.WasmFeatures
public typealias Import = WasmTypes.Import
public typealias ImportDescriptor = WasmTypes.ImportDescriptor
public typealias MalformedError = WasmTypes.MalformedError
public typealias ValidationError = WasmTypes.ValidationError
