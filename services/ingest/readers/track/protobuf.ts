import protobuf from 'protobufjs';
import 'protobufjs/ext/descriptor.js';
import type { Decoded, Decoder } from './ros-decoders.js';

/**
 * A decoder for the message named `schemaName` (e.g. `foxglove.LocationFix`) in the FileDescriptorSet that MCAP
 * stores as a `protobuf` schema (Foxglove's schemas, Apollo-style records). protobufjs reads the descriptor and
 * decodes; messages become plain objects keyed by the declared field names, proto3 defaults fill absent scalars,
 * 64-bit integers are numbers and enums stay numbers.
 */
export function protobufDecoder(schema: Uint8Array, schemaName: string): Decoder {
  let type: protobuf.Type;
  try {
    type = protobuf.Root.fromDescriptor(schema).lookupType(schemaName);
  } catch (err) {
    throw new Error(`the FileDescriptorSet does not define ${schemaName}: ${(err as Error).message}`);
  }
  const options: protobuf.IConversionOptions = { longs: Number, enums: Number, defaults: true, arrays: true };
  return (data) => type.toObject(type.decode(data), options) as Decoded;
}
