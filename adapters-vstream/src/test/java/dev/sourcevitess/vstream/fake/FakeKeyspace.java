package dev.sourcevitess.vstream.fake;

import binlogdata.Binlogdata;
import dev.sourcevitess.domain.model.GtidPosition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A keyspace: its serving shards by name, and those resharded away (kept for their binlogs), all
 * on one flavor of database: MySQL by default, or MariaDB.
 */
public final class FakeKeyspace {
  private final FakeVitess vitess;
  private final String name;
  private final Map<String, FakeShard> serving = new TreeMap<>();
  private final Map<String, FakeShard> all = new LinkedHashMap<>();
  private int generation;
  private volatile GtidPosition.Flavor flavor = GtidPosition.Flavor.MYSQL56;

  FakeKeyspace(FakeVitess vitess, String name) {
    this.vitess = vitess;
    this.name = name;
  }

  public String name() {
    return name;
  }

  /**
   * Puts the keyspace's shards on MySQL ({@code MySQL56/} positions) or MariaDB ({@code MariaDB/}
   * positions); before any position is handed out, as a cluster does not change its kind.
   */
  public FakeKeyspace flavor(GtidPosition.Flavor flavor) {
    this.flavor = flavor;
    return this;
  }

  public GtidPosition.Flavor flavor() {
    return flavor;
  }

  public FakeShard addShard(String shard) {
    vitess.lock.lock();
    try {
      if (serving.containsKey(shard)) {
        throw new IllegalArgumentException("shard " + shard + " exists in " + name);
      }
      FakeShard created = new FakeShard(vitess, this, shard, generation++);
      serving.put(shard, created);
      all.put(shard + "#" + created.uuid(), created);
      vitess.changed();
      return created;
    } finally {
      vitess.lock.unlock();
    }
  }

  /** A serving shard. */
  public FakeShard shard(String shard) {
    vitess.lock.lock();
    try {
      FakeShard found = serving.get(shard);
      if (found == null) {
        throw new IllegalArgumentException("no serving shard " + shard + " in " + name);
      }
      return found;
    } finally {
      vitess.lock.unlock();
    }
  }

  /** The serving shards in key-range order. */
  public List<FakeShard> shards() {
    vitess.lock.lock();
    try {
      return new ArrayList<>(serving.values());
    } finally {
      vitess.lock.unlock();
    }
  }

  /** Creates the table on every serving shard. */
  public FakeKeyspace createTable(TableDef def) {
    for (FakeShard shard : shards()) {
      shard.createTable(def);
    }
    return this;
  }

  /** Each serving shard's position. */
  public Map<String, String> positions() {
    Map<String, String> positions = new TreeMap<>();
    for (FakeShard shard : shards()) {
      positions.put(shard.name(), shard.position());
    }
    return positions;
  }

  /**
   * Reshards {@code from} into {@code to} (e.g. {@code -} into {@code -80, 80-}): the new shards
   * get the tables and rows (by a hash of the first primary-key column), each old shard ends its
   * binlog with a journal naming the new shards' positions and takes no more writes.
   */
  public Binlogdata.Journal reshard(List<String> from, List<String> to) {
    vitess.lock.lock();
    try {
      List<FakeShard> sources = new ArrayList<>();
      for (String shard : from) {
        sources.add(shard(shard));
      }
      List<FakeShard> targets = new ArrayList<>();
      for (String shard : to) {
        FakeShard target = new FakeShard(vitess, this, shard, generation++);
        targets.add(target);
      }
      for (FakeShard source : sources) {
        for (FakeTable table : source.tables().values()) {
          for (FakeShard target : targets) {
            if (!target.tables().containsKey(table.def().name())) {
              target.tables().put(table.def().name(), new FakeTable(table.def()));
            }
          }
          for (List<String> row : table.rows().values()) {
            String keyspaceId = keyspaceId(table.def().keyOf(row).get(0));
            FakeShard target = targets.stream()
                .filter(t -> inRange(keyspaceId, t.name()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                    "no target shard covers keyspace id " + keyspaceId + ": " + to));
            target.tables().get(table.def().name()).insert(row);
          }
        }
      }
      Binlogdata.Journal.Builder journal = Binlogdata.Journal.newBuilder()
          .setId(vitess.nextJournalId())
          .setMigrationType(Binlogdata.MigrationType.SHARDS);
      for (FakeShard source : sources) {
        journal.addParticipants(
            Binlogdata.KeyspaceShard.newBuilder().setKeyspace(name).setShard(source.name()));
      }
      for (FakeShard target : targets) {
        journal.addShardGtids(Binlogdata.ShardGtid.newBuilder()
            .setKeyspace(name).setShard(target.name()).setGtid(target.positionAt(target.size())));
      }
      Binlogdata.Journal built = journal.build();
      for (FakeShard source : sources) {
        source.retire(built.toBuilder()
            .setLocalPosition(source.positionAt(source.size() + 1)).build());
        serving.remove(source.name());
      }
      for (FakeShard target : targets) {
        serving.put(target.name(), target);
        all.put(target.name() + "#" + target.uuid(), target);
      }
      vitess.changed();
      return built;
    } finally {
      vitess.lock.unlock();
    }
  }

  /** A serving shard, or one resharded away, by name; null when none. */
  FakeShard findShard(String shard) {
    FakeShard found = serving.get(shard);
    if (found != null) {
      return found;
    }
    FakeShard retired = null;
    for (FakeShard candidate : all.values()) {
      if (candidate.name().equals(shard)) {
        retired = candidate;
      }
    }
    return retired;
  }


  /** A stand-in for Vitess's hash vindex: the first 8 bytes of SHA-256, in hex. */
  static String keyspaceId(String value) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether a hex keyspace id falls in a shard's key range ({@code -80}: below 0x80...). */
  static boolean inRange(String keyspaceId, String shard) {
    if (shard.equals("-") || shard.equals("0")) {
      return true;
    }
    int dash = shard.indexOf('-');
    String start = shard.substring(0, dash).toLowerCase(Locale.ROOT);
    String end = shard.substring(dash + 1).toLowerCase(Locale.ROOT);
    return (start.isEmpty() || keyspaceId.compareTo(start) >= 0)
        && (end.isEmpty() || keyspaceId.compareTo(end) < 0);
  }
}
