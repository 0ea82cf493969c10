import SwimTypes

// The SwimTypes vocabulary embedders need, so that `import Swim` is enough.
public typealias ValueType = SwimTypes.ValueType
public typealias FunctionType = SwimTypes.FunctionType
public typealias RefType = SwimTypes.RefType
public typealias HeapType = SwimTypes.HeapType
public typealias TableType = SwimTypes.TableType
public typealias MemoryType = SwimTypes.MemoryType
public typealias GlobalType = SwimTypes.GlobalType
public typealias Limits = SwimTypes.Limits
public typealias Mutability = SwimTypes.Mutability
public typealias V128 = SwimTypes.V128
public typealias WasmFeatures = SwimTypes.WasmFeatures
public typealias Import = SwimTypes.Import
public typealias ImportDescriptor = SwimTypes.ImportDescriptor
public typealias MalformedError = SwimTypes.MalformedError
public typealias ValidationError = SwimTypes.ValidationError
public typealias DefinedType = SwimTypes.DefinedType
public typealias CompositeType = SwimTypes.CompositeType
public typealias FieldType = SwimTypes.FieldType
public typealias StorageType = SwimTypes.StorageType
