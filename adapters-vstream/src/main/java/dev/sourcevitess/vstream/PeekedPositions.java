package dev.sourcevitess.vstream;

import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.domain.port.ChangeStreams;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each shard's position from the answer to a {@code current} stream. VTGate answers with, per
 * shard, a VGTID and an OTHER; each VGTID lists every shard, those not heard from yet still at
 * {@code current}, so VGTIDs are read until no shard is left at {@code current}.
 */
final class PeekedPositions implements ChangeStreams.Handler {
  private final String keyspace;
  private final Map<Shard, String> positions = new TreeMap<>();

  PeekedPositions(String keyspace) {
    this.keyspace = keyspace;
  }

  VEventDecoder decoder() {
    return VEventDecoder.forPositions(keyspace);
  }

  String what() {
    return "the current positions of keyspace " + keyspace;
  }

  @Override
  public boolean onEvent(ChangeEvent event) {
    if (!(event instanceof ChangeEvent.Vgtid vgtid)) {
      return true;
    }
    positions.clear();
    boolean known = !vgtid.shards().isEmpty();
    for (ChangeEvent.ShardPosition shard : vgtid.shards()) {
      if (!shard.keyspace().equals(keyspace)) {
        continue;
      }
      positions.put(shard.shard(), shard.position());
      known &= !shard.position().isEmpty() && !shard.position().equals(VStreamRequests.CURRENT);
    }
    return !known;
  }

  /**
   * What a peek cut short by its deadline means: where VTGate named shards without a position yet,
   * those shards' tablets did not say where they stand (down, restarting, unreachable), and the
   * failure names them; otherwise {@code late} as it is.
   */
  ChangeStreamException late(ChangeStreamException late, int timeoutSeconds) {
    List<Shard> silent = positions.entrySet().stream()
        .filter(p -> p.getValue().isEmpty() || p.getValue().equals(VStreamRequests.CURRENT))
        .map(Map.Entry::getKey).toList();
    if (silent.isEmpty()) {
      return late;
    }
    return new ChangeStreamException(ChangeStreamException.Reason.STALLED, "VTGate had no position of "
        + (silent.size() == 1 ? "shard " : "shards ") + silent + " of " + keyspace + " within timeout_seconds ("
        + timeoutSeconds + " s): before a sync reads, VTGate asks each shard's tablet where it stands, and "
        + (silent.size() == 1 ? "this one" : "these") + " did not answer (down, restarting, or unreachable from"
        + " VTGate). Nothing was read; the next sync tries again. Check the tablets of those shards, or raise"
        + " timeout_seconds.", late);
  }

  /** The positions read, once the handler said it has them all. */
  Map<Shard, String> positions() {
    if (positions.isEmpty()) {
      throw new ChangeStreamException(ChangeStreamException.Reason.NOT_FOUND,
          "VTGate listed no shard for keyspace " + keyspace);
    }
    return Map.copyOf(positions);
  }
}
