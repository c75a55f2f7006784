// The wire types are part of the protocol's API: whoever speaks the protocol uses them.
@_exported public import KeepWire
