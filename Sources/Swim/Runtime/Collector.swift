/// The collector: a precise mark-and-sweep over the store's GC heap (`GCHeap`).
///
/// It runs in the slow path of an allocating handler, when the bytes allocated since the
/// last collection reach the heap's threshold or when the memory limit refuses an object.
/// It marks every object reachable from the roots, then frees the rest. The roots are:
/// - the wasm frames on the value stack: at each, the slots its function's `SafepointTable`
///   lists for the call or allocation it is stopped at (frames are found from the running
///   frame and from each host call in progress, through the frame headers);
/// - globals, tables and element segments of traced reference types;
/// - the `GCObject`s and `Exception`s the host holds.
///
/// Object fields and array elements of traced types, and exception payloads, are traced
/// from marked objects. Code that allocates nothing never runs any of this.

/// A wasm call to a host function that is running: where the frames of the activation below
/// it continue (the caller's return pc and frame), and where the host's frame starts.
struct SuspendedCall {
    var returnPc: UInt64
    var callerFp: UInt64
    var calleeFp: Fp
}

extension StoreStorage {
    /// Collects when due before an allocation of `size` bytes by the handler stopped at `pc`
    /// in the frame at `fp` (its safepoint is at `pc + 1`).
    func collectIfDue(adding size: Int, at pc: Pc, _ fp: Fp) {
        if heap.isCollectionDue(adding: size) { collectGarbage(runningAt: pc, fp) }
    }

    /// Marks from every root and frees every object not reached. `pc` and `fp` are the
    /// allocating handler's, when wasm code is running (nil from the host).
    func collectGarbage(runningAt pc: Pc?, _ fp: Fp?) {
        var marker = Marker()
        if let pc, let fp { markFrames(from: pc, fp, allocating: true, limit: nil, &marker) }
        for call in suspendedCalls.reversed() {
            guard let returnPc = Pc(bitPattern: UInt(call.returnPc)),
                  let callerFp = Fp(bitPattern: UInt(call.callerFp)) else { continue }
            markFrames(from: returnPc, callerFp, allocating: false, limit: call.calleeFp - callerFp, &marker)
        }
        for global in globals where global.pointee.type.valueType.isTracedReference(in: types) {
            marker.mark(global.pointee.value.0)
        }
        for table in tables where ValueType.ref(table.pointee.type.elementType).isTracedReference(in: types) {
            for i in 0..<table.pointee.count { marker.mark(table.pointee.elements[i]) }
        }
        for segment in elementSegments where segment.pointee.traced {
            guard let elements = segment.pointee.elements else { continue }
            for i in 0..<segment.pointee.count { marker.mark(elements[i]) }
        }
        for (address, handle) in gcObjects {
            if handle.object == nil { gcObjects[address] = nil } else { marker.mark(UInt64(address)) }
        }
        for (address, handle) in exceptionObjects {
            if handle.object == nil { exceptionObjects[address] = nil } else { marker.mark(UInt64(address)) }
        }
        marker.traceAll()
        heap.sweep(accountant: &accountant) { object in
            switch object.runtimeType.pointee.kind {
            case .hostValue:
                hostValueBoxes[object.load(fromByteOffset: ObjectLayout.hostValueOffset, as: UInt64.self)] = nil
            case .exception:
                exceptionObjects[UInt(bitPattern: object)] = nil
            default:
                break
            }
        }
    }

    /// Marks from the frames of one activation, from the frame at `fp` stopped at `pc` (an
    /// allocating handler, or the return pc of a call) down to the activation's first frame.
    /// Only slots below `limit` belong to the first frame (above them is its callee's frame).
    private func markFrames(from pc: Pc, _ fp: Fp, allocating: Bool, limit: Int?, _ marker: inout Marker) {
        var pc = pc
        var fp = fp
        var limit = limit
        var position = allocating ? 1 : 0
        while pc != UnsafePointer(haltCode), let code = translatedCode(containing: pc) {
            let end = limit ?? Int.max
            for slot in code.safepoints.locals where Int(slot) < end { marker.mark(fp[Int(slot)]) }
            for slot in code.safepoints.slots(at: code.position(of: pc) + position) where Int(slot) < end {
                marker.mark(fp[Int(slot)])
            }
            let header = fp + code.headerSlot
            guard let returnPc = Pc(bitPattern: UInt(header[0])), let callerFp = Fp(bitPattern: UInt(header[1])) else {
                return
            }
            limit = fp - callerFp
            pc = returnPc
            fp = callerFp
            position = 0
        }
    }
}

/// The mark phase: sets the mark bit of each object reached and traces its references.
struct Marker {
    /// Objects marked but not traced yet (an explicit stack: object graphs may be deep).
    private var pending: [UnsafeMutableRawPointer] = []

    /// Marks the object a reference word points to, if any (null and i31s are no objects).
    mutating func mark(_ word: UInt64) {
        if word == 0 || word.isI31 { return }
        let object = word.object
        let link = object.load(fromByteOffset: 8, as: UInt.self)
        if link & 1 != 0 { return }
        object.storeBytes(of: link | 1, toByteOffset: 8, as: UInt.self)
        pending.append(object)
    }

    mutating func traceAll() {
        while let object = pending.popLast() { trace(object) }
    }

    private mutating func trace(_ object: UnsafeMutableRawPointer) {
        let type = object.runtimeType.pointee
        switch type.kind {
        case .struct:
            guard let fields = type.fields else { return }
            for i in 0..<type.fieldCount where fields[i].isTraced {
                mark(object.load(fromByteOffset: fields[i].offset, as: UInt64.self))
            }
        case .array:
            guard type.elementsAreTraced else { return }
            let elements = object.arrayElements
            for i in 0..<Int(object.arrayLength) { mark(elements.load(fromByteOffset: 8 * i, as: UInt64.self)) }
        case .exception:
            let exception = ExceptionRef(slot: UInt64(UInt(bitPattern: object))).unsafelyUnwrapped
            for slot in exception.tag.pointee.tracedSlots { mark(exception.payload[slot]) }
        case .hostValue, .function:
            break
        }
    }
}
