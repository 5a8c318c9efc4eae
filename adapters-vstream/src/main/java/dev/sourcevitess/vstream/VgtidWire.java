package dev.sourcevitess.vstream;

import binlogdata.Binlogdata;
import java.util.ArrayList;
import java.util.List;

/**
 * A VGTID event as VTGate sends it outside a copy, VEvent {type = VGTID, vgtid {shard_gtids
 * {keyspace, shard, gtid}}}, read from the wire: a peek then needs none of the generated classes,
 * whose first use builds every descriptor of Vitess's protos (about 50 ms of a no-op sync). Null
 * for anything else (a copy's table_p_ks, a repeated or mistyped field, malformed bytes, text
 * that is not UTF-8), which the generated parser then reads. The field numbers are the generated
 * constants, which the compiler copies in.
 */
final class VgtidWire {
  private static final int VARINT = 0;
  private static final int LENGTH_DELIMITED = 2;

  /** One shard's entry, as sent. */
  record ShardGtid(String keyspace, String shard, String gtid) {}

  private VgtidWire() {}

  static List<ShardGtid> read(byte[] bytes, int start, int length) {
    try {
      VStreamWire.Reader event = new VStreamWire.Reader().reset(bytes, start, start + length);
      long type = 0;
      List<ShardGtid> shards = null;
      while (event.more()) {
        int tag = event.varint32();
        if (tag == (Binlogdata.VEvent.TYPE_FIELD_NUMBER << 3 | VARINT)) {
          type = event.varint64();
        } else if (tag >>> 3 == Binlogdata.VEvent.VGTID_FIELD_NUMBER) {
          if (shards != null || (tag & 7) != LENGTH_DELIMITED) {
            return null;
          }
          int size = event.length();
          shards = shardGtids(bytes, event.at, size);
          if (shards == null) {
            return null;
          }
          event.at += size;
        } else if (tag >>> 3 == Binlogdata.VEvent.TYPE_FIELD_NUMBER) {
          return null;
        } else {
          event.skip(tag);
        }
      }
      return type == Binlogdata.VEventType.VGTID_VALUE ? shards == null ? List.of() : shards : null;
    } catch (IllegalArgumentException malformed) {
      return null;
    }
  }

  private static List<ShardGtid> shardGtids(byte[] bytes, int start, int length) {
    VStreamWire.Reader vgtid = new VStreamWire.Reader().reset(bytes, start, start + length);
    List<ShardGtid> shards = new ArrayList<>();
    while (vgtid.more()) {
      int tag = vgtid.varint32();
      if (tag >>> 3 == Binlogdata.VGtid.SHARD_GTIDS_FIELD_NUMBER) {
        if ((tag & 7) != LENGTH_DELIMITED) {
          return null;
        }
        int size = vgtid.length();
        ShardGtid shard = shardGtid(bytes, vgtid.at, size);
        if (shard == null) {
          return null;
        }
        shards.add(shard);
        vgtid.at += size;
      } else {
        vgtid.skip(tag);
      }
    }
    return shards;
  }

  private static ShardGtid shardGtid(byte[] bytes, int start, int length) {
    // keyspace, shard and gtid are its fields 1 to 3; table_p_ks (4) is left to the generated parser
    String[] fields = StringFields.read(bytes, start, length, Binlogdata.ShardGtid.GTID_FIELD_NUMBER);
    return fields == null ? null : new ShardGtid(fields[0], fields[1], fields[2]);
  }
}
