package dev.sourcevitess.domain.fake;

import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.model.GtidPosition;
import dev.sourcevitess.domain.model.KeyValue;
import dev.sourcevitess.domain.model.LastKey;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.Table;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.domain.port.ChangeStreams;
import dev.sourcevitess.domain.port.UnknownColumnException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * A sharded keyspace that streams like VTGate, at the level of decoded events: a copy phase in
 * batches (BEGIN, FIELD, VGTID, ROWs, VGTID with the last key, COMMIT), COPY_COMPLETED per shard
 * and a final one, copy resume from a position and a last key, then transactions in order. Each
 * shard keeps a log of transactions; a table's rows at any position come from replaying it.
 * Streams can be broken after any number of events.
 */
public final class FakeChangeStreams implements ChangeStreams {
  private final String keyspace;
  private final Map<String, Table> tables = new HashMap<>();
  private final Map<Shard, ShardLog> shards = new TreeMap<>();
  private final List<ShardLog> retired = new ArrayList<>();
  private final AtomicInteger peeks = new AtomicInteger();
  private final AtomicInteger streams = new AtomicInteger();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private volatile IntSupplier breakAfter = () -> -1;
  private volatile ChangeStreamException failure;
  private volatile int batchSize = 3;
  private volatile boolean emptyTransactions = true;
  private volatile AfterEvent afterEvent = (shard, count) -> { };
  private volatile int heartbeatsBefore;
  private final java.util.Set<Shard> down = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** While a shard is down: what the others send when they have nothing (null: nothing at all). */
  private volatile ChangeEvent.Heartbeat whileDown;
  private volatile GtidPosition.Flavor flavor = GtidPosition.Flavor.MYSQL56;

  /** Called after each event a stream of {@code shard} handed over; may commit to that shard. */
  @FunctionalInterface
  public interface AfterEvent {
    void after(Shard shard, int events);
  }

  public FakeChangeStreams(String keyspace, List<Table> tables, List<Shard> shardNames) {
    this.keyspace = keyspace;
    tables.forEach(t -> this.tables.put(t.name(), t));
    shardNames.forEach(s -> shards.put(s, new ShardLog(s, 100 + shards.size())));
  }

  /** One committed transaction of row changes on one shard. */
  private record Transaction(long seq, Instant time, List<Change> changes) {}

  private record Change(String table, ChangeEvent.Operation operation, String[] before, String[] after) {}

  /** A transaction being built: its changes apply in order, before images taken as they go. */
  public final class Tx {
    private final ShardLog shard;
    private final List<Change> changes = new ArrayList<>();
    private final Map<String, NavigableMap<List<String>, String[]>> view;

    private Tx(ShardLog shard) {
      this.shard = shard;
      this.view = shard.copyOfCurrent();
    }

    public Tx insert(String table, String... row) {
      List<String> key = keyOf(table, row);
      if (rows(table).containsKey(key)) {
        throw new IllegalStateException("duplicate key " + key + " in " + table);
      }
      rows(table).put(key, row.clone());
      changes.add(new Change(table, ChangeEvent.Operation.INSERT, null, row.clone()));
      return this;
    }

    public Tx update(String table, String... row) {
      String[] before = rows(table).get(keyOf(table, row));
      if (before == null) {
        throw new IllegalStateException("no row " + keyOf(table, row) + " in " + table);
      }
      rows(table).put(keyOf(table, row), row.clone());
      changes.add(new Change(table, ChangeEvent.Operation.UPDATE, before, row.clone()));
      return this;
    }

    public Tx delete(String table, List<String> key) {
      String[] before = rows(table).remove(key);
      if (before == null) {
        throw new IllegalStateException("no row " + key + " in " + table);
      }
      changes.add(new Change(table, ChangeEvent.Operation.DELETE, before, null));
      return this;
    }

    public Map<List<String>, String[]> rowsOf(String table) {
      return Collections.unmodifiableMap(rows(table));
    }

    private NavigableMap<List<String>, String[]> rows(String table) {
      return view.computeIfAbsent(table, t -> new TreeMap<>(KeyOrder.INSTANCE));
    }
  }

  /** Commits a transaction on {@code shard}; returns its position. */
  public String commit(Shard shard, java.util.function.Consumer<Tx> body) {
    ShardLog log = shards.get(shard);
    synchronized (log) {
      Tx tx = new Tx(log);
      body.accept(tx);
      return log.append(tx.changes);
    }
  }

  /** The rows of {@code table} on every shard now, by key. */
  public Map<List<String>, String[]> rows(String table) {
    Map<List<String>, String[]> all = new TreeMap<>(KeyOrder.INSTANCE);
    for (ShardLog log : shards.values()) {
      synchronized (log) {
        all.putAll(log.copyOfCurrent().getOrDefault(table, new TreeMap<>(KeyOrder.INSTANCE)));
      }
    }
    return all;
  }

  public String position(Shard shard) {
    ShardLog log = shards.get(shard);
    synchronized (log) {
      return log.position(log.log.size());
    }
  }

  /**
   * ALTER TABLE ... DROP COLUMN: rows committed from now on lack it, and FIELD events name the
   * columns left. A request naming it is refused as the tablets refuse a filter rule naming a
   * column their schema lacks (planbuilder.go findColumn). Rows committed before keep it, as on
   * tablets tracking schema versions: tests stream them in calls before the drop.
   */
  public void dropColumn(String table, String column) {
    Table before = tables.get(table);
    tables.put(table, new Table(table, before.columns().stream().filter(c -> !c.name().equals(column)).toList(),
        before.primaryKey(), before.rowEstimate(), before.byteEstimate()));
  }

  public void breakAfter(IntSupplier eventsPerCall) {
    this.breakAfter = eventsPerCall;
  }

  public void failEveryCall(ChangeStreamException e) {
    this.failure = e;
  }

  public void batchSize(int rows) {
    this.batchSize = rows;
  }

  /** Whether transactions without rows of the streamed table still send VGTID and COMMIT. */
  public void emptyTransactions(boolean send) {
    this.emptyTransactions = send;
  }

  /**
   * The kind of database under the shards, which sets how positions are spelled: MySQL56 (the
   * default) or MariaDB. Set it before positions are handed out.
   */
  public void flavor(GtidPosition.Flavor flavor) {
    this.flavor = flavor;
  }

  public void afterEvent(AfterEvent hook) {
    this.afterEvent = hook;
  }

  public int peeks() {
    return peeks.get();
  }

  public int streams() {
    return streams.get();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public Map<Shard, String> currentPositions(String keyspace) {
    peeks.incrementAndGet();
    if (failure != null) {
      throw failure;
    }
    if (!this.keyspace.equals(keyspace)) {
      throw new ChangeStreamException(ChangeStreamException.Reason.NOT_FOUND, "unknown keyspace " + keyspace);
    }
    Map<Shard, String> out = new LinkedHashMap<>();
    shards.keySet().forEach(s -> out.put(s, position(s)));
    return out;
  }

  @Override
  public void stream(Request request, Handler handler) {
    streams.incrementAndGet();
    requests.add(request);
    if (failure != null) {
      throw failure;
    }
    if (!keyspace.equals(request.keyspace())) {
      throw new ChangeStreamException(ChangeStreamException.Reason.NOT_FOUND, "unknown keyspace " + request.keyspace());
    }
    List<Table> streamed = new ArrayList<>();
    for (String name : request.tables()) {
      Table table = tables.get(name);
      if (table == null) {
        throw new ChangeStreamException(ChangeStreamException.Reason.NOT_FOUND, "unknown table " + name);
      }
      for (String column : request.columnsOf(name)) {
        if (table.columns().stream().noneMatch(c -> c.name().equalsIgnoreCase(column))) {
          throw new UnknownColumnException(name, column, "column " + column + " not found in table " + name, null);
        }
      }
      streamed.add(table);
    }
    Map<ShardLog, Long> from = new LinkedHashMap<>();
    for (Start start : request.starts()) {
      ShardLog log = find(start.shard(), start.position());
      if (log == null) {
        throw new ChangeStreamException(ChangeStreamException.Reason.NOT_FOUND, "unknown shard " + start.shard());
      }
      from.put(log, start.position().isEmpty() ? 0 : log.seqOf(start.position()));
    }
    int breakAt = breakAfter.getAsInt();
    if (request.starts().stream().anyMatch(Start::copies)) {
      if (request.starts().size() != 1) {
        throw new UnsupportedOperationException("the fake copies one shard per call");
      }
      Start start = request.starts().get(0);
      new Call(from.keySet().iterator().next(), streamed.get(0), handler, breakAt).run(start);
    } else {
      new KeyspaceCall(streamed, handler, breakAt).run(from);
    }
  }

  /** A reshard: the source shards' binlogs end with it; streams go on from the targets' setup. */
  private record Journal(List<ShardLog> sources, List<ShardLog> targets) {}

  /**
   * Moves every row of {@code from} to new shards {@code to} (split, merge or both), each row to
   * the shard {@code route} names for its table and key; the old shards take no more writes.
   */
  public synchronized void reshard(List<Shard> from, List<Shard> to,
      java.util.function.BiFunction<String, List<String>, Shard> route) {
    Map<Shard, List<Change>> moved = new LinkedHashMap<>();
    to.forEach(t -> moved.put(t, new ArrayList<>()));
    List<ShardLog> sources = new ArrayList<>();
    for (Shard shard : from) {
      ShardLog log = shards.get(shard);
      sources.add(log);
      synchronized (log) {
        log.copyOfCurrent().forEach((table, rows) -> rows.forEach((key, row) -> {
          List<Change> target = moved.get(route.apply(table, key));
          if (target == null) {
            throw new IllegalArgumentException("route sends " + table + " " + key + " outside " + to);
          }
          target.add(new Change(table, ChangeEvent.Operation.INSERT, null, row));
        }));
      }
    }
    List<ShardLog> targets = new ArrayList<>();
    moved.forEach((shard, rows) -> targets.add(new ShardLog(shard, 100 + shards.size() + retired.size() + targets.size(),
        rows)));
    Journal journal = new Journal(sources, targets);
    for (ShardLog source : sources) {
      synchronized (source) {
        source.journal = journal;
      }
      shards.remove(source.shard);
      retired.add(source);
    }
    targets.forEach(t -> shards.put(t.shard, t));
  }

  /** The serving shards. */
  public synchronized List<Shard> shards() {
    return new ArrayList<>(shards.keySet());
  }

  /** The shard's log a start means: a serving shard, or one resharded away whose position it names. */
  private synchronized ShardLog find(Shard shard, String position) {
    for (ShardLog log : retired) {
      if (log.shard.equals(shard) && log.owns(position)) {
        return log;
      }
    }
    return shards.get(shard);
  }

  /**
   * The tablet of {@code shard} goes down ({@code true}) or comes back: a keyspace stream sends
   * nothing of it meanwhile, as VTGate retries it. When the other shards have nothing either, the
   * call hands over {@code idle} again and again (a heartbeat of another shard, throttled or not),
   * or, when it is null, tells the handler of the silence ({@link Handler#onQuiet}), until the
   * handler gives up or the shard is back; a thousand times at most.
   */
  public void down(Shard shard, boolean isDown, ChangeEvent.Heartbeat idle) {
    if (isDown) {
      down.add(shard);
    } else {
      down.remove(shard);
    }
    whileDown = idle;
  }

  /** Heartbeats VTGate sends before each transaction, as while a tablet reads a long one. */
  public void heartbeatsBeforeTransactions(int count) {
    this.heartbeatsBefore = count;
  }

  /** How many transactions the calls have read from {@code shard}, summed over calls. */
  public long transactionsRead(Shard shard) {
    return shards.get(shard).read.get();
  }

  /**
   * A streaming call over several shards and tables, one transaction per shard in turn, as VTGate
   * interleaves shards: BEGIN, FIELD once per table, ROWs naming their shard, a VGTID listing every
   * shard of the call, COMMIT; a transaction of none of the tables still sends its VGTID.
   */
  private final class KeyspaceCall {
    private final Map<String, Table> streamed = new LinkedHashMap<>();
    private final Handler handler;
    private final int breakAt;
    private final java.util.Set<String> fieldsSent = new java.util.HashSet<>();
    private int sent;

    KeyspaceCall(List<Table> tables, Handler handler, int breakAt) {
      tables.forEach(t -> streamed.put(t.name(), t));
      this.handler = handler;
      this.breakAt = breakAt;
    }

    private boolean emit(ShardLog log, ChangeEvent event) {
      if (sent == breakAt) {
        throw new ChangeStreamException(ChangeStreamException.Reason.UNAVAILABLE, "stream broken after " + sent
            + " events");
      }
      sent++;
      boolean more = handler.onEvent(event);
      afterEvent.after(log.shard, sent);
      return more;
    }

    void run(Map<ShardLog, Long> at) {
      java.util.Set<ShardLog> parked = new java.util.HashSet<>();
      while (true) {
        boolean any = false;
        for (ShardLog log : new ArrayList<>(at.keySet())) {
          Long seq = at.get(log);
          if (seq == null) {
            // moved on to the shards of a journal in this round
            continue;
          }
          if (down.contains(log.shard)) {
            continue;
          }
          long next = seq + 1;
          Transaction tx;
          Journal journal;
          synchronized (log) {
            tx = next > log.log.size() ? null : log.log.get((int) next - 1);
            journal = log.journal;
          }
          if (tx == null && journal != null && parked.add(log)) {
            // VTGate follows a journal only when every source shard is in the stream
            if (!at.keySet().containsAll(journal.sources())) {
              throw new ChangeStreamException(ChangeStreamException.Reason.RESHARD_NOT_FOLLOWED,
                  "not all journaling participants are in the stream");
            }
            any = true;
            List<ChangeEvent.ShardPosition> targets = new ArrayList<>();
            journal.targets().forEach(t -> targets.add(new ChangeEvent.ShardPosition(keyspace, t.shard,
                t.position(1), null)));
            if (!emit(log, new ChangeEvent.Journal(journal.sources().stream().map(l -> l.shard).toList(), targets))) {
              return;
            }
            if (parked.containsAll(journal.sources())) {
              journal.sources().forEach(at::remove);
              journal.targets().forEach(t -> at.put(t, 1L));
            }
            continue;
          }
          if (tx == null) {
            continue;
          }
          any = true;
          log.read.incrementAndGet();
          at.put(log, next);
          if (!transaction(log, tx, at)) {
            return;
          }
        }
        if (!any && at.keySet().stream().anyMatch(log -> down.contains(log.shard))) {
          if (!whileShardsAreDown(at)) {
            return;
          }
          continue;
        }
        if (!any) {
          // nothing more: VTGate would send heartbeats until the deadline; this fake ends the call
          if (!emit(at.keySet().iterator().next(), new ChangeEvent.Heartbeat())) {
            return;
          }
          throw new ChangeStreamException(ChangeStreamException.Reason.UNAVAILABLE,
              "the fake has no more transactions and ends the stream");
        }
      }
    }

    /** Idle signs while a shard is down: false when the handler closed the stream. */
    private boolean whileShardsAreDown(Map<ShardLog, Long> at) {
      for (int i = 0; i < 1000; i++) {
        if (at.keySet().stream().noneMatch(log -> down.contains(log.shard))) {
          return true;
        }
        ChangeEvent.Heartbeat idle = whileDown;
        boolean more = idle == null ? handler.onQuiet() : emit(at.keySet().iterator().next(), idle);
        if (!more) {
          return false;
        }
      }
      throw new ChangeStreamException(ChangeStreamException.Reason.UNAVAILABLE, "a shard stayed down");
    }

    private boolean transaction(ShardLog log, Transaction tx, Map<ShardLog, Long> at) {
      for (int i = 0; i < heartbeatsBefore; i++) {
        if (!emit(log, new ChangeEvent.Heartbeat())) {
          return false;
        }
      }
      List<Change> mine = tx.changes.stream().filter(c -> streamed.containsKey(c.table)).toList();
      if (mine.isEmpty() && !emptyTransactions) {
        return true;
      }
      if (!emit(log, new ChangeEvent.Begin())) {
        return false;
      }
      for (Change c : mine) {
        Table table = streamed.get(c.table);
        if (fieldsSent.add(c.table) && !emit(log, new ChangeEvent.Fields(table.name(), table.columns()))) {
          return false;
        }
        ChangeEvent.RowChange row = new ChangeEvent.RowChange(table.name(), c.operation,
            c.before == null ? null : TextRow.of(c.before), c.after == null ? null : TextRow.of(c.after), tx.time,
            log.shard);
        if (!emit(log, row)) {
          return false;
        }
      }
      List<ChangeEvent.ShardPosition> positions = new ArrayList<>();
      at.forEach((shardLog, seq) -> positions.add(
          new ChangeEvent.ShardPosition(keyspace, shardLog.shard, shardLog.position(seq), null)));
      return emit(log, new ChangeEvent.Vgtid(positions)) && emit(log, new ChangeEvent.Commit(tx.time));
    }
  }

  /** One VStream call: counts events, breaks where told, stops when the handler says so. */
  private final class Call {
    private final ShardLog log;
    private final Table table;
    private final Handler handler;
    private final int breakAt;
    private int sent;
    private boolean fieldsSent;

    Call(ShardLog log, Table table, Handler handler, int breakAt) {
      this.log = log;
      this.table = table;
      this.handler = handler;
      this.breakAt = breakAt;
    }

    /** Hands over one event; false when the handler closed the stream. */
    private boolean emit(ChangeEvent event) {
      if (sent == breakAt) {
        throw new ChangeStreamException(ChangeStreamException.Reason.UNAVAILABLE, "stream broken after " + sent
            + " events");
      }
      sent++;
      boolean more = handler.onEvent(event);
      afterEvent.after(log.shard, sent);
      return more;
    }

    void run(Start start) {
      long snapshot;
      synchronized (log) {
        snapshot = log.log.size();
      }
      long from;
      if (start.position().isEmpty()) {
        if (!copy(snapshot, keyOf(start.lastPk()))) {
          return;
        }
        from = snapshot;
      } else {
        long at = log.seqOf(start.position());
        if (start.lastPk() != null) {
          List<String> lastKey = keyOf(start.lastPk());
          if (!stream(at, snapshot, lastKey) || !copy(snapshot, lastKey)) {
            return;
          }
          from = snapshot;
        } else {
          from = at;
        }
      }
      stream(from, Long.MAX_VALUE, null);
    }

    /** Copies the rows after {@code after} as they were at {@code snapshot}. */
    private boolean copy(long snapshot, List<String> after) {
      List<String[]> rows = new ArrayList<>(log.rowsAt(snapshot, table.name()).values());
      List<Integer> keyIndexes = table.primaryKey().stream().map(table::indexOf).toList();
      String position = log.position(snapshot);
      LastKey lastKey = after == null ? null : lastKeyOf(after);
      int i = 0;
      boolean first = true;
      for (String[] row : rows) {
        if (after != null && KeyOrder.INSTANCE.compare(key(row, keyIndexes), after) <= 0) {
          continue;
        }
        if (i % batchSize == 0) {
          if (first && !(emit(new ChangeEvent.Begin()) && emit(new ChangeEvent.Fields(table.name(), table.columns()))
              && emit(vgtid(position, lastKey)))) {
            return false;
          }
          first = false;
        }
        if (!emit(new ChangeEvent.RowChange(table.name(), ChangeEvent.Operation.INSERT, null, TextRow.of(row), null))) {
          return false;
        }
        i++;
        if (i % batchSize == 0) {
          lastKey = lastKeyOf(key(row, keyIndexes));
          if (!(emit(vgtid(position, lastKey)) && emit(new ChangeEvent.Commit(null)))) {
            return false;
          }
        }
      }
      if (i % batchSize != 0) {
        lastKey = lastKeyOf(key(rows.get(rows.size() - 1), keyIndexes));
        if (!(emit(vgtid(position, lastKey)) && emit(new ChangeEvent.Commit(null)))) {
          return false;
        }
      }
      return emit(vgtid(position, null))
          && emit(new ChangeEvent.CopyCompleted(keyspace, log.shard))
          && emit(new ChangeEvent.CopyCompleted("", null));
    }

    /**
     * Streams the transactions after {@code from} up to {@code until}; with {@code upTo} set
     * (a copy's catch-up) only rows whose key is at most that key.
     */
    private boolean stream(long from, long until, List<String> upTo) {
      List<Integer> keyIndexes = table.primaryKey().stream().map(table::indexOf).toList();
      LastKey lastKey = upTo == null ? null : lastKeyOf(upTo);
      for (long seq = from + 1; seq <= until; seq++) {
        Transaction tx;
        synchronized (log) {
          tx = seq > log.log.size() ? null : log.log.get((int) seq - 1);
        }
        if (tx == null) {
          // idle: VTGate says so with a heartbeat; then this fake ends the stream
          return until != Long.MAX_VALUE || emit(new ChangeEvent.Heartbeat());
        }
        log.read.incrementAndGet();
        List<Change> mine = tx.changes.stream().filter(c -> c.table.equals(table.name()))
            .filter(c -> upTo == null || KeyOrder.INSTANCE.compare(key(c.before != null ? c.before : c.after,
                keyIndexes), upTo) <= 0)
            .toList();
        if (mine.isEmpty() && !emptyTransactions) {
          continue;
        }
        if (!emit(new ChangeEvent.Begin())) {
          return false;
        }
        for (Change c : mine) {
          if (!fieldsSent) {
            fieldsSent = true;
            if (!emit(new ChangeEvent.Fields(table.name(), table.columns()))) {
              return false;
            }
          }
          ChangeEvent.RowChange row = new ChangeEvent.RowChange(table.name(), c.operation,
              c.before == null ? null : TextRow.of(c.before), c.after == null ? null : TextRow.of(c.after), tx.time,
              log.shard);
          if (!emit(row)) {
            return false;
          }
        }
        if (!(emit(vgtid(log.position(seq), lastKey)) && emit(new ChangeEvent.Commit(tx.time)))) {
          return false;
        }
      }
      return true;
    }

    private ChangeEvent.Vgtid vgtid(String position, LastKey lastKey) {
      return new ChangeEvent.Vgtid(List.of(new ChangeEvent.ShardPosition(keyspace, log.shard, position, lastKey)));
    }

    private LastKey lastKeyOf(List<String> key) {
      List<KeyValue> values = new ArrayList<>();
      for (int k = 0; k < key.size(); k++) {
        values.add(KeyValue.text(table.primaryKey().get(k), 265, key.get(k)));
      }
      return new LastKey(values);
    }

    private List<String> keyOf(LastKey lastKey) {
      return lastKey == null ? null : lastKey.values().stream()
          .map(v -> new String(v.value(), StandardCharsets.UTF_8)).toList();
    }
  }

  private List<String> keyOf(String table, String[] row) {
    Table t = tables.get(table);
    return key(row, t.primaryKey().stream().map(t::indexOf).toList());
  }

  private static List<String> key(String[] row, List<Integer> indexes) {
    return indexes.stream().map(i -> row[i]).toList();
  }

  /** A shard's transaction log; transaction n is at the position {@link FakeGtids} spells for it. */
  private final class ShardLog {
    final Shard shard;
    final FakeGtids gtids;
    final List<Transaction> log = new ArrayList<>();
    /** Transactions read by calls, summed over calls. */
    final AtomicInteger read = new AtomicInteger();

    /** Set when the shard was resharded away: its binlog ends with this journal. */
    volatile Journal journal;

    ShardLog(Shard shard, long serverId) {
      this(shard, serverId, List.of());
    }

    /** A shard whose setup (transaction 1, never streamed) loaded {@code rows}. */
    ShardLog(Shard shard, long serverId, List<Change> rows) {
      this.shard = shard;
      this.gtids = new FakeGtids(UUID.randomUUID().toString(), serverId);
      log.add(new Transaction(1, Instant.parse("2024-01-01T00:00:00Z"), List.copyOf(rows)));
    }

    String append(List<Change> changes) {
      log.add(new Transaction(log.size() + 1, Instant.parse("2024-01-01T00:00:00Z").plusSeconds(log.size()),
          List.copyOf(changes)));
      return position(log.size());
    }

    String position(long seq) {
      return gtids.positionAt(flavor, seq);
    }

    /** True when {@code position} is one of this log's (a retired shard and its successor share a name). */
    boolean owns(String position) {
      try {
        return gtids.transactionAt(flavor, GtidPosition.parse(position)) >= 0;
      } catch (IllegalArgumentException e) {
        return false;
      }
    }

    long seqOf(String position) {
      long seq;
      try {
        seq = gtids.transactionAt(flavor, GtidPosition.parse(position));
      } catch (IllegalArgumentException e) {
        seq = -1;
      }
      if (seq < 0) {
        throw new ChangeStreamException(ChangeStreamException.Reason.POSITION_LOST, "GTIDSet Mismatch: " + position);
      }
      synchronized (this) {
        if (seq > log.size()) {
          throw new ChangeStreamException(ChangeStreamException.Reason.POSITION_LOST, "GTIDSet Mismatch: "
              + position + " is ahead of the shard");
        }
      }
      return seq;
    }

    synchronized Map<String, NavigableMap<List<String>, String[]>> copyOfCurrent() {
      return replay(log.size());
    }

    synchronized NavigableMap<List<String>, String[]> rowsAt(long seq, String table) {
      return replay(seq).getOrDefault(table, new TreeMap<>(KeyOrder.INSTANCE));
    }

    private Map<String, NavigableMap<List<String>, String[]>> replay(long upTo) {
      Map<String, NavigableMap<List<String>, String[]>> state = new HashMap<>();
      for (int i = 0; i < upTo; i++) {
        for (Change c : log.get(i).changes) {
          NavigableMap<List<String>, String[]> rows = state.computeIfAbsent(c.table,
              t -> new TreeMap<>(KeyOrder.INSTANCE));
          if (c.after == null) {
            rows.remove(keyOf(c.table, c.before));
          } else {
            rows.put(keyOf(c.table, c.after), c.after);
          }
        }
      }
      return state;
    }
  }
}
