"""A WASI module assembled byte by byte (no toolchain): each exported function writes its
message to stdout with fd_write and exits with its code through proc_exit."""

WASI = "wasi_snapshot_preview1"


def _uleb(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _sleb(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        done = (value == 0 and not byte & 0x40) or (value == -1 and byte & 0x40)
        out.append(byte | (0 if done else 0x80))
        if done:
            return bytes(out)


def _vec(items):
    return _uleb(len(items)) + b"".join(items)


def _name(text):
    return _vec([bytes([b]) for b in text.encode()])


def _section(section_id, payload):
    return bytes([section_id]) + _uleb(len(payload)) + payload


def module(functions, padding=b""):
    """`functions`: {export name: (message, exit code)}. `padding` goes into a custom section
    (to make a module unique, or large)."""
    i32 = 0x7F
    types = [bytes([0x60]) + _vec([bytes([i32])] * 4) + _vec([bytes([i32])]),  # fd_write
             bytes([0x60]) + _vec([bytes([i32])]) + _vec([]),  # proc_exit
             bytes([0x60]) + _vec([]) + _vec([])]  # the exports
    imports = [_name(WASI) + _name("fd_write") + b"\x00" + _uleb(0),
               _name(WASI) + _name("proc_exit") + b"\x00" + _uleb(1)]
    data, bodies, exports = [], [], []
    offset = 0
    for index, (export, (message, code)) in enumerate(functions.items()):
        text = message.encode()
        # At `offset`: an iovec (pointer, length), 4 bytes for nwritten, then the text.
        segment = (offset + 12).to_bytes(4, "little") + len(text).to_bytes(4, "little") + b"\0" * 4 + text
        data.append(b"\x00\x41" + _sleb(offset) + b"\x0b" + _vec([bytes([b]) for b in segment]))
        code_bytes = (b"\x41\x01" + b"\x41" + _sleb(offset) + b"\x41\x01" + b"\x41" + _sleb(offset + 8)
                      + b"\x10\x00\x1a"  # call fd_write, drop its result
                      + b"\x41" + _sleb(code) + b"\x10\x01\x0b")  # call proc_exit, end
        body = _vec([]) + code_bytes
        bodies.append(_uleb(len(body)) + body)
        exports.append(_name(export) + b"\x00" + _uleb(2 + index))
        offset += (len(segment) + 7) // 8 * 8
    return (b"\x00asm\x01\x00\x00\x00"
            + _section(1, _vec(types))
            + _section(2, _vec(imports))
            + _section(3, _vec([_uleb(2)] * len(functions)))
            + _section(5, _vec([b"\x00\x01"]))  # one memory, 1 page
            + _section(7, _vec(exports))
            + _section(10, _vec(bodies))
            + _section(11, _vec(data))
            + (_section(0, _name("padding") + padding) if padding else b""))


def component():
    """The preamble of a WebAssembly component (version 0x0d, layer 1) and an empty body."""
    return b"\x00asm\x0d\x00\x01\x00"
