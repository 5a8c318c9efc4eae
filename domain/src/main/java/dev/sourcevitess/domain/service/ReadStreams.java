package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.ConfiguredStream;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.ReplicationMethod;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamState;
import dev.sourcevitess.domain.model.SyncMode;
import dev.sourcevitess.domain.model.Table;
import dev.sourcevitess.domain.model.TableCursor;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.domain.port.ChangeStreams;
import dev.sourcevitess.domain.port.CursorCodec;
import dev.sourcevitess.domain.port.Pause;
import dev.sourcevitess.domain.port.ReadOutput;
import dev.sourcevitess.domain.port.RowSnapshots;
import dev.sourcevitess.domain.port.SchemaReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * The {@code read} use case. STANDARD copies each table over SQL. VSTREAM peeks at every shard's
 * current position once, skips streams already there, and reads the rest per shard in parallel:
 * a copy where there is no position, then changes up to the stop position.
 */
public final class ReadStreams {
  private final SourceConfig config;
  private final SchemaReader schema;
  private final RowSnapshots snapshots;
  private final ChangeStreams changes;
  private final CursorCodec codec;
  private final ReadOutput output;
  private final Clock clock;
  private final Pause pause;

  public ReadStreams(SourceConfig config, SchemaReader schema, RowSnapshots snapshots, ChangeStreams changes,
      CursorCodec codec, ReadOutput output, Clock clock, Pause pause) {
    this.config = config;
    this.schema = schema;
    this.snapshots = snapshots;
    this.changes = changes;
    this.codec = codec;
    this.output = output;
    this.clock = clock;
    this.pause = pause;
  }

  /**
   * Reads the configured streams from the given state. Streams whose table is gone are set aside
   * and the others read; the sync then fails naming them.
   *
   * @throws SourceException when a stream could not be read to its end; every configured stream
   *     not complete by then is INCOMPLETE, and the last good STATEs are already out. The caller
   *     reports the error.
   */
  public void read(List<ConfiguredStream> catalog, Map<StreamId, StreamState> state) throws InterruptedException {
    ReadSession session = new ReadSession(output, codec, clock);
    try {
      catalog.forEach(this::checkConfigured);
      Map<StreamId, Map<Shard, TableCursor>> saved = decode(state);
      if (config.replicationMethod() == ReplicationMethod.STANDARD) {
        warnIncrementalUnderStandard(catalog, session);
        readStandard(tables(catalog, session), saved, session);
      } else {
        readVStream(catalog, saved, session);
      }
    } catch (RuntimeException | InterruptedException e) {
      // Airbyte's destinations expect a terminal status for every configured stream, started or not
      catalog.forEach(stream -> session.incomplete(stream.id()));
      throw e;
    }
  }

  /** Each stream's table, read from the schema; a stream whose table is gone is said in the log. */
  private CatalogTables tables(List<ConfiguredStream> catalog, ReadSession session) {
    CatalogTables tables = new CatalogTables(config.keyspace(), catalog, schema.tables());
    tables.failure().ifPresent(e -> session.log(LogLevel.ERROR, e.getMessage()
        + " The other streams are read first; then the sync fails."));
    return tables;
  }

  private void checkConfigured(ConfiguredStream stream) {
    String namespace = stream.id().namespace();
    if (!namespace.isEmpty() && !namespace.equals(config.keyspace())) {
      throw SourceException.config("Stream " + stream.id() + " belongs to " + namespace + ", but this source reads "
          + config.keyspace() + "; refresh the source schema.");
    }
  }

  /**
   * Discover offers STANDARD streams for full refresh only, but Airbyte's own Python client asks
   * every stream for incremental: such a stream is read in full, as Airbyte's CDK sources do, and
   * the log says so once.
   */
  private static void warnIncrementalUnderStandard(List<ConfiguredStream> catalog, ReadSession session) {
    List<String> incremental = catalog.stream().filter(s -> s.syncMode() == SyncMode.INCREMENTAL)
        .map(s -> s.id().toString()).toList();
    if (!incremental.isEmpty()) {
      session.log(LogLevel.WARN, "replication_method STANDARD reads every table in full: " + String.join(", ",
          incremental) + (incremental.size() == 1 ? " is" : " are") + " configured as incremental and read as a"
          + " full refresh, so deleted rows stay in the destination; use VSTREAM for changes.");
    }
  }

  /** Decodes every saved cursor up front, so a bad state fails before anything is read. */
  private Map<StreamId, Map<Shard, TableCursor>> decode(Map<StreamId, StreamState> state) {
    Map<StreamId, Map<Shard, TableCursor>> out = new HashMap<>();
    state.forEach((id, streamState) -> {
      Map<Shard, TableCursor> cursors = new TreeMap<>();
      streamState.cursorsByShard().forEach((shard, encoded) -> {
        try {
          TableCursor cursor = codec.decode(encoded);
          cursors.put(new Shard(shard), cursor);
        } catch (IllegalArgumentException e) {
          throw new SourceException(FailureType.CONFIG_ERROR, "The state of stream " + id.name() + " on shard "
              + shard + " is not a cursor this connector can read (" + e.getMessage() + "); reset the stream.",
              e.toString(), e);
        }
      });
      out.put(new StreamId(config.keyspace(), id.name()), cursors);
    });
    return out;
  }

  private static StreamId key(ConfiguredStream stream, String keyspace) {
    return new StreamId(keyspace, stream.id().name());
  }

  private void readStandard(CatalogTables tables, Map<StreamId, Map<Shard, TableCursor>> saved,
      ReadSession session) throws InterruptedException {
    StandardCopy copy = new StandardCopy(snapshots, session, pause, config.maxRetries());
    for (var entry : tables.found().entrySet()) {
      ConfiguredStream stream = entry.getKey();
      Table table = entry.getValue();
      TableCursor from = saved.getOrDefault(key(stream, config.keyspace()), Map.of())
          .getOrDefault(Shard.UNSHARDED, TableCursor.start(config.keyspace(), Shard.UNSHARDED));
      session.start(stream.id(), Map.of(Shard.UNSHARDED, from), table.rowEstimate(), table.byteEstimate());
      copy.copy(stream, table, from);
      session.complete(stream.id());
    }
    tables.failure().ifPresent(e -> {
      throw e;
    });
  }

  private void readVStream(List<ConfiguredStream> catalog, Map<StreamId, Map<Shard, TableCursor>> saved,
      ReadSession session) throws InterruptedException {
    Map<Shard, String> stops = peek();
    Set<Shard> live = liveShards(stops.keySet());
    Map<Shard, String> starting = startingGtids(stops.keySet());
    List<Plan> plans = new ArrayList<>();
    for (ConfiguredStream stream : catalog) {
      plans.add(plan(stream, saved.getOrDefault(key(stream, config.keyspace()), Map.of()), live, stops, starting));
    }
    // Nothing new anywhere since the state: the sync ends without the schema (a table dropped since
    // would have moved the position). A stream without state still needs its table checked.
    boolean work = plans.stream().anyMatch(plan -> !plan.groups.isEmpty() || plan.saved.isEmpty());
    Optional<CatalogTables> catalogTables = work ? Optional.of(tables(catalog, session)) : Optional.empty();
    Map<ConfiguredStream, Table> tables = catalogTables.map(CatalogTables::found).orElse(Map.of());
    catalogTables.ifPresent(found -> plans.removeIf(plan -> found.missing().contains(plan.stream)));
    for (Plan plan : plans) {
      // an up-to-date stream emits no rows this sync
      Table table = plan.groups.isEmpty() ? null : tables.get(plan.stream);
      session.start(plan.stream.id(), plan.initial(), table == null ? 0 : table.rowEstimate(),
          table == null ? 0 : table.byteEstimate());
    }
    ExecutorService pool = Executors.newFixedThreadPool(config.concurrency(), runnable -> {
      Thread thread = new Thread(runnable, "shard-reader");
      thread.setDaemon(true);
      return thread;
    });
    try {
      Map<Plan, List<Future<?>>> running = new LinkedHashMap<>();
      List<String> upToDate = new ArrayList<>();
      for (Plan plan : plans) {
        if (plan.groups.isEmpty()) {
          upToDate.add(plan.stream.id().toString());
          continue;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (Map<Shard, TableCursor> group : plan.groups) {
          futures.add(pool.submit(() -> {
            readGroup(plan, tables.get(plan.stream), group, stops, session);
            return null;
          }));
        }
        running.put(plan, futures);
      }
      if (!upToDate.isEmpty()) {
        // one line, not one per stream: a sync of hundreds of quiet tables says so once
        session.log(LogLevel.INFO, "Up to date on every shard, nothing to read: " + String.join(", ", upToDate) + ".");
      }
      SourceException failure = catalogTables.flatMap(CatalogTables::failure).orElse(null);
      for (Plan plan : plans) {
        SourceException streamFailure = null;
        for (Future<?> future : running.getOrDefault(plan, List.of())) {
          try {
            future.get();
          } catch (ExecutionException e) {
            SourceException cause = asSourceException(e.getCause());
            streamFailure = worse(streamFailure, cause);
          }
        }
        if (streamFailure == null) {
          session.complete(plan.stream.id());
        } else {
          session.incomplete(plan.stream.id());
          failure = worse(failure, streamFailure);
        }
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** One shard group of one stream; after a reshard whose journal is gone, recopies the stream. */
  private void readGroup(Plan plan, Table table, Map<Shard, TableCursor> group, Map<Shard, String> stops,
      ReadSession session)
      throws InterruptedException {
    try {
      new ShardReader(config, changes, session, pause, plan.stream, table, group, stops).read();
    } catch (SourceException e) {
      boolean followingReshard = !stops.keySet().containsAll(group.keySet());
      ChangeStreamException cause = e.getCause() instanceof ChangeStreamException c ? c : null;
      boolean journalGone = cause != null && (cause.reason() == ChangeStreamException.Reason.NOT_FOUND
          || cause.reason() == ChangeStreamException.Reason.POSITION_LOST);
      if (!followingReshard || !journalGone) {
        throw e;
      }
      Map<Shard, TableCursor> fresh = new TreeMap<>();
      for (Shard shard : plan.newShards) {
        fresh.put(shard, TableCursor.start(config.keyspace(), shard));
      }
      session.log(LogLevel.WARN, plan.stream.id() + " was saved on shards " + group.keySet()
          + ", which are gone, and VTGate cannot follow their reshard journal (" + cause.getMessage()
          + "). Copying it again from shards " + fresh.keySet() + "; rows deleted meanwhile may stay in the"
          + " destination until the stream is reset.");
      session.checkpoint(plan.stream.id(), fresh, group.keySet());
      if (!fresh.isEmpty()) {
        new ShardReader(config, changes, session, pause, plan.stream, table, fresh, stops).read();
      }
    }
  }

  private static SourceException asSourceException(Throwable t) {
    if (t instanceof SourceException e) {
      return e;
    }
    return new SourceException(FailureType.SYSTEM_ERROR, "Reading failed unexpectedly: " + t, String.valueOf(t), t);
  }

  /** The failure to report: the user's to fix first, then a retry's. */
  private static SourceException worse(SourceException a, SourceException b) {
    if (a == null) {
      return b;
    }
    return b.failureType().ordinal() < a.failureType().ordinal() ? b : a;
  }

  private Map<Shard, String> peek() {
    try {
      Map<Shard, String> positions = changes.currentPositions(config.keyspace());
      if (positions.isEmpty()) {
        throw SourceException.config("VTGate lists no shard for keyspace " + config.keyspace()
            + "; check the database name.");
      }
      return new TreeMap<>(positions);
    } catch (ChangeStreamException e) {
      throw StreamFailures.describe(e, config);
    }
  }

  /** The shards to read: all, or those the filter names, each of which must exist. */
  private Set<Shard> liveShards(Set<Shard> all) {
    if (config.shards().isEmpty()) {
      return new TreeSet<>(all);
    }
    List<String> unknown = config.shards().stream().filter(s -> !all.contains(s)).map(Shard::name).toList();
    if (!unknown.isEmpty()) {
      throw SourceException.config("The shards filter names " + String.join(", ", unknown) + ", not shards of "
          + config.keyspace() + "; its shards are " + names(all) + ".");
    }
    return new TreeSet<>(config.shards());
  }

  private Map<Shard, String> startingGtids(Set<Shard> all) {
    Map<Shard, String> positions = config.startingGtids().getOrDefault(config.keyspace(), Map.of());
    List<String> unknown = positions.keySet().stream().filter(s -> !all.contains(s)).map(Shard::name).toList();
    if (!unknown.isEmpty()) {
      throw SourceException.config("starting_gtids names shards " + String.join(", ", unknown) + ", not shards of "
          + config.keyspace() + "; its shards are " + names(all) + ".");
    }
    return positions;
  }

  private static String names(Set<Shard> shards) {
    return shards.stream().map(Shard::name).sorted().collect(Collectors.joining(", "));
  }

  /**
   * What to read of one stream.
   *
   * @param groups shard groups to read, each as one VStream; empty when the stream is up to date
   * @param newShards shards VTGate lists that the state does not know (after a reshard)
   */
  private record Plan(ConfiguredStream stream, List<Map<Shard, TableCursor>> groups,
      Map<Shard, TableCursor> saved, Set<Shard> newShards) {
    Map<Shard, TableCursor> initial() {
      Map<Shard, TableCursor> all = new TreeMap<>(saved);
      groups.forEach(all::putAll);
      return all;
    }
  }

  private Plan plan(ConfiguredStream stream, Map<Shard, TableCursor> saved, Set<Shard> live,
      Map<Shard, String> stops, Map<Shard, String> starting) {
    List<Map<Shard, TableCursor>> groups = new ArrayList<>();
    Set<Shard> newShards = new TreeSet<>(live);
    newShards.removeAll(saved.keySet());
    if (stream.syncMode() == SyncMode.FULL_REFRESH) {
      // a full refresh copies again, unless a copy was cut short and can resume
      for (Shard shard : live) {
        TableCursor cursor = saved.get(shard);
        boolean resumable = cursor != null && cursor.lastKnownPk() != null;
        groups.add(Map.of(shard, resumable ? cursor : TableCursor.start(config.keyspace(), shard)));
      }
      return new Plan(stream, groups, Map.of(), newShards);
    }
    Map<Shard, TableCursor> gone = new TreeMap<>(saved);
    gone.keySet().removeAll(stops.keySet());
    if (!gone.isEmpty()) {
      // a reshard: VTGate follows the old shards' journal to the new ones, which are not started apart
      groups.add(gone);
    }
    for (Shard shard : live) {
      TableCursor cursor = saved.get(shard);
      if (cursor == null && !gone.isEmpty()) {
        continue;
      }
      if (cursor == null) {
        String start = starting.get(shard);
        cursor = start == null ? TableCursor.start(config.keyspace(), shard)
            : new TableCursor(shard, config.keyspace(), start, null);
      }
      // peek before sync: a shard already at its stop position needs no VStream
      if (cursor.copying() || !ShardReader.contains(cursor.position(), stops.get(shard))) {
        groups.add(Map.of(shard, cursor));
      }
    }
    return new Plan(stream, groups, saved, newShards);
  }
}
