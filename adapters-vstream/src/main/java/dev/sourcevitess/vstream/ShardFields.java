package dev.sourcevitess.vstream;

import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.port.ChangeStreams;
import java.util.HashMap;
import java.util.Map;

/**
 * The columns each shard last announced for each table. VTGate interleaves the transactions of
 * its shards, and each shard's vstreamer sends a table's FIELD event once, before its first rows:
 * shards may announce different columns (a DDL not yet applied everywhere) or values in different
 * forms (ENUM by index from one shard's binlog, by name from another's copy). Readers apply the
 * last FIELD event of a table to its rows, so when rows come from a shard other than the one that
 * announced last, that shard's FIELD event is handed over again first.
 */
final class ShardFields {
  private final Map<String, ChangeEvent.Fields> byShardAndTable = new HashMap<>();
  private final Map<String, ChangeEvent.Fields> lastAnnounced = new HashMap<>();
  // the last ROW event's shard and table (the same String objects while they repeat), and
  // whether its FIELD was the one announced then: the common case costs two comparisons
  private String checkedShard;
  private String checkedTable;
  private int announcements;
  private int checkedAt = -1;

  /** Records a FIELD event from {@code shard} (empty when VTGate did not say) and returns it. */
  ChangeEvent.Fields announced(ChangeEvent.Fields fields, String shard) {
    byShardAndTable.put(shard + "\u0000" + fields.table(), fields);
    lastAnnounced.put(fields.table(), fields);
    announcements++;
    return fields;
  }

  /**
   * Before rows of {@code table} from {@code shard}: hands {@code shard}'s FIELD event to the
   * handler again when another shard's was announced since.
   *
   * @return false when the handler said stop
   */
  boolean announceFor(String table, String shard, ChangeStreams.Handler handler) {
    if (shard == checkedShard && table == checkedTable && announcements == checkedAt) {
      return true;
    }
    checkedShard = shard;
    checkedTable = table;
    ChangeEvent.Fields own = shard.isEmpty() ? null : byShardAndTable.get(shard + "\u0000" + table);
    boolean more = true;
    if (own != null && lastAnnounced.get(table) != own) {
      lastAnnounced.put(table, own);
      announcements++;
      more = handler.onEvent(own);
    }
    checkedAt = announcements;
    return more;
  }
}
