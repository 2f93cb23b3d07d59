import { parse } from '@foxglove/rosmsg';
import { MessageReader as Ros1Reader } from '@foxglove/rosmsg-serialization';
import { MessageReader as Ros2Reader } from '@foxglove/rosmsg2-serialization';

export type Decoded = Record<string, unknown>;
/** Decodes one message payload; throws when the bytes do not fit the schema. */
export type Decoder = (data: Uint8Array) => Decoded;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** ROS 1 serialization (bags, MCAP `ros1`) for a `.msg` definition with its dependencies. Throws on a bad definition. */
export function ros1Decoder(definition: string): Decoder {
  const reader = new Ros1Reader(parse(definition));
  return (data) => reader.readMessage<Decoded>(data);
}

/** ROS 2 CDR (MCAP `cdr` with a `ros2msg` schema). Throws on a bad definition. */
export function cdrDecoder(definition: string): Decoder {
  const reader = new Ros2Reader(parse(definition, { ros2: true }));
  return (data) => {
    const m = reader.readMessage<Decoded>(data);
    return m;
  };
}

/** JSON (MCAP `json` channels): one object per message. */
export function jsonDecoder(): Decoder {
  return (data) => jsonObject(utf8.decode(data));
}

/** Parses a JSON object (the payload of JSON channels and of std_msgs/String JSON text). */
export function jsonObject(text: string): Decoded {
  const v: unknown = JSON.parse(text);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('JSON payload is not an object');
  return v as Decoded;
}

/** std_msgs/String carrying JSON text: decode the ROS message, then its `data`. */
export function jsonInString(inner: Decoder): Decoder {
  return (data) => {
    const s = inner(data).data;
    if (typeof s !== 'string') throw new Error('std_msgs/String without data');
    return jsonObject(s);
  };
}
