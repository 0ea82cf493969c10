/// Where exceptions thrown in one function go. The unwinder reads it only when an exception
/// passes through the function, so code that never throws pays nothing for it: no
/// instruction marks the start or end of a `try_table`.
///
/// The code is cut into regions, each covered by one catch scope (a `try_table`, or the body
/// of a legacy `try`) or by none. A scope lists its catches in order; when none matches, the
/// unwinder tries the scope's `parent`: the enclosing scope, or for a legacy `delegate` the
/// scope of the block its label names. Parent -1 is the caller.
struct HandlerTable {
    struct Scope {
        var catches: [Catch] = []
        var parent: Int
    }

    /// One `catch` clause: which exceptions it takes, where their values go and where
    /// execution continues.
    struct Catch {
        /// The tag caught; nil catches every exception.
        var tag: TagRef?
        /// The payload goes to consecutive slots from here (nothing for `catch_all`).
        var payloadSlot: Int
        /// Where the exception itself (an exnref) goes, if the handler wants it.
        var referenceSlot: Int?
        var destination: Destination
    }

    enum Destination: Equatable {
        /// A position in the function's code.
        case code(Int)
        /// The function's own label: the payload is its results, and it returns.
        case functionReturn
    }

    var scopes: [Scope] = []
    /// The scope covering the code from each `start` (a code word) on, ascending.
    private(set) var regions: [(start: Int, scope: Int)] = []

    /// The innermost scope covering the code word at `position`, or -1.
    func scope(at position: Int) -> Int {
        var low = 0
        var high = regions.count
        while low < high {
            let mid = low + (high - low) / 2
            if regions[mid].start <= position { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? -1 : regions[low - 1].scope
    }

    /// Makes `scope` cover the code from `position` on.
    mutating func enter(_ scope: Int, at position: Int) {
        if let last = regions.last, last.start == position {
            regions[regions.count - 1].scope = scope
        } else {
            regions.append((position, scope))
        }
    }
}
