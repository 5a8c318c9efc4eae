package dev.sourcevitess.vstream.fake;

import binlogdata.Binlogdata;
import binlogdata.Binlogdata.VEvent;
import binlogdata.Binlogdata.VEventType;
import com.google.protobuf.ByteString;
import dev.sourcevitess.domain.model.ColumnType;
import dev.sourcevitess.domain.model.GtidPosition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.vitess.proto.Query;
import io.vitess.proto.Topodata;
import io.vitess.proto.Vtgate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One VStream call, run on its own thread: follows what VTGate and the tablets' vstreamers do
 * (go/vt/vtgate/vstream_manager.go, go/vt/vttablet/tabletserver/vstreamer/uvstreamer.go, copy.go,
 * vstreamer.go), one shard step at a time, round robin over the shards of the call.
 */
final class VStreamSession implements Runnable {
  private static final String CURRENT = "current";
  private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final int MAX_EVENTS_PER_RESPONSE = 2000;

  /** A failure the session closes the call with. */
  private static final class Failure extends RuntimeException {
    private final transient Status status;

    Failure(Status status) {
      super(status.getDescription(), null, false, false);
      this.status = status;
    }
  }

  /** The client went away. */
  private static final class Gone extends RuntimeException {
    Gone() {
      super(null, null, false, false);
    }
  }

  private enum Phase { COPY, STREAM, PARKED }

  /** Where one shard of the call stands. */
  private final class Cursor {
    final FakeShard shard;
    final Binlogdata.ShardGtid.Builder gtid;
    final boolean startsCurrent;
    long applied;
    Phase phase = Phase.STREAM;
    final Deque<String> toCopy = new ArrayDeque<>();
    final Map<String, List<String>> lastPk = new HashMap<>();
    String copying;
    Iterator<List<String>> pending;
    final Set<String> fieldsSent = new HashSet<>();
    boolean copyCompleted;
    Binlogdata.Journal journal;

    Cursor(FakeShard shard, String keyspace, String position) {
      this.shard = shard;
      this.gtid = Binlogdata.ShardGtid.newBuilder()
          .setKeyspace(keyspace).setShard(shard.name()).setGtid(position);
      this.startsCurrent = position.equals(CURRENT);
    }

    String keyspace() {
      return gtid.getKeyspace();
    }
  }

  private final FakeVitess vitess;
  private final FakeVtgate.Settings settings;
  private final Quirks quirks;
  private final FakeVtgate.FailurePlan failures;
  private final Vtgate.VStreamRequest request;
  private final ServerCallStreamObserver<Vtgate.VStreamResponse> out;
  private final CallRecord record;
  private final Object readiness = new Object();
  private final List<Cursor> cursors = new ArrayList<>();
  private final List<java.util.function.Predicate<String>> rules = new ArrayList<>();
  /** Per table, the columns its rule's SELECT names; a table whose rule selects * is absent. */
  private final Map<String, List<String>> selects = new HashMap<>();
  private final long heartbeatNanos;
  private volatile boolean cancelled;
  private long lastSend = System.nanoTime();
  private int sent;

  VStreamSession(FakeVitess vitess, FakeVtgate.Settings settings, Quirks quirks,
      FakeVtgate.FailurePlan failures, Vtgate.VStreamRequest request,
      ServerCallStreamObserver<Vtgate.VStreamResponse> out, CallRecord record) {
    this.vitess = vitess;
    this.settings = settings;
    this.quirks = quirks;
    this.failures = failures;
    this.request = request;
    this.out = out;
    this.record = record;
    int seconds = request.getFlags().getHeartbeatInterval();
    // (heartbeats are VTGate's own: it sends one after that much idle time, vstream_manager.go)
    this.heartbeatNanos = seconds == 0 ? 0
        : settings.heartbeatIdle() != null ? settings.heartbeatIdle().toNanos()
        : TimeUnit.SECONDS.toNanos(seconds);
    out.setOnCancelHandler(() -> {
      cancelled = true;
      record.cancelled();
      wake();
    });
    out.setOnReadyHandler(this::wake);
  }

  @Override
  public void run() {
    try {
      CannedStream canned = settings.canned();
      if (canned != null && !(canned.peeksFromModel() && isPeek())) {
        serveCanned(canned);
        holdOpen();
      } else {
        start();
        loop();
      }
    } catch (Failure f) {
      close(f.status);
    } catch (Gone g) {
      // the client cancelled or its deadline passed: nothing to close. The call can say so before
      // its cancel handler has run: record it here too.
      if (out.isCancelled()) {
        record.cancelled();
      }
    } catch (InterruptedException e) {
      close(Status.UNAVAILABLE.withDescription("fake vtgate is shutting down"));
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // a send racing the client's cancel fails before the cancel handler has run
      if (out.isCancelled()) {
        record.cancelled();
      } else {
        close(Status.INTERNAL.withDescription("fake vtgate failed: " + e));
      }
    } finally {
      // the cancel handler may not have run yet when a cancelled call ends: ask gRPC itself
      if (out.isCancelled()) {
        record.cancelled();
      }
      record.ended();
    }
  }

  // ---------------------------------------------------------------- start and validation

  private void start() throws InterruptedException {
    if (request.getVgtid().getShardGtidsCount() == 0) {
      throw fail(Status.INVALID_ARGUMENT,
          "vgtid must have at least one value with a starting position in ShardGtids");
    }
    for (Binlogdata.Rule rule : request.getFilter().getRulesList()) {
      String match = rule.getMatch();
      try {
        SelectList.of(rule.getFilter()).ifPresent(columns -> selects.put(match, columns));
      } catch (IllegalArgumentException e) {
        throw fail(Status.INVALID_ARGUMENT, e.getMessage());
      }
      if (match.startsWith("/")) {
        // Vitess strips the slashes and looks for the expression anywhere in the name
        Pattern pattern = Pattern.compile(match.replaceAll("^/|/$", ""));
        rules.add(table -> pattern.matcher(table).find());
      } else {
        rules.add(match::equals);
      }
    }
    vitess.lock.lock();
    try {
      for (Binlogdata.ShardGtid requested : request.getVgtid().getShardGtidsList()) {
        FakeKeyspace keyspace = vitess.findKeyspace(requested.getKeyspace());
        if (keyspace == null) {
          // a topology error, which carries no vtrpc code: UNKNOWN (vstream_manager.go resolveParams)
          throw fail(Status.UNKNOWN, "failed to get shards in keyspace " + requested.getKeyspace()
              + ": node doesn't exist: keyspaces/" + requested.getKeyspace() + "/SrvKeyspace");
        }
        if (requested.getShard().isEmpty()) {
          if (!requested.getGtid().equals(CURRENT) && !requested.getGtid().isEmpty()) {
            throw fail(Status.INVALID_ARGUMENT,
                "if shards are unspecified, the Gtid value must be 'current' or empty; got: "
                    + requested.getGtid());
          }
          for (FakeShard shard : keyspace.shards()) {
            cursors.add(resolve(shard, requested));
          }
        } else {
          FakeShard shard = keyspace.findShard(requested.getShard());
          if (shard == null) {
            // vstream_manager.go keyspaceHasBeenResharded
            throw fail(Status.FAILED_PRECONDITION, "failed to determine if keyspace "
                + requested.getKeyspace() + " has been resharded: shard provided in VGTID, "
                + requested.getShard() + ", not found in the " + requested.getKeyspace() + " keyspace");
          }
          cursors.add(resolve(shard, requested));
        }
      }
    } finally {
      vitess.lock.unlock();
    }
    refuseAsTablets();
    for (Cursor cursor : cursors) {
      if (cursor.startsCurrent) {
        cursor.gtid.setGtid(cursor.shard.positionAt(cursor.applied));
        send(List.of(vgtid(cursor, 0), event(cursor, VEventType.OTHER, 0).build()));
      }
    }
  }

  /**
   * What the tablets answer before streaming: no tablet of the type (after the picker's wait),
   * MINIMAL row images refused, a lagging replica behind the position.
   */
  private void refuseAsTablets() throws InterruptedException {
    Cursor first = cursors.get(0);
    String where = first.keyspace() + "/" + first.shard.name();
    // (calls that name no tablet type are the fake's own tests': served)
    Topodata.TabletType type = request.getTabletType();
    if (type != Topodata.TabletType.UNKNOWN && !quirks.tabletTypes().contains(type)) {
      long until = System.nanoTime() + quirks.pickerWait().toNanos();
      while (System.nanoTime() < until) {
        checkGone();
        TimeUnit.MILLISECONDS.sleep(Math.min(20, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
      }
      String cells = request.getFlags().getCells().isEmpty() ? "zone1" : request.getFlags().getCells();
      throw fail(Status.CANCELLED, "failed to find a " + request.getTabletType() + " tablet for VStream in "
          + where + " within the " + cells + " cell(s): context has expired");
    }
    if (quirks.rowImage() == Quirks.RowImage.MINIMAL) {
      throw fail(Status.INTERNAL, "error in vstream for " + where + " on tablet zone1-100: vttablet: rpc error:"
          + " code = Internal desc = minimal binlog_row_image is not supported by Vitess VReplication");
    }
    boolean fromPosition = cursors.stream().anyMatch(c -> !c.startsCurrent && c.applied > 0);
    if (fromPosition && quirks.laggingCalls().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw fail(Status.INVALID_ARGUMENT, "persistent error in vstream for " + where + " on tablet zone1-101;"
          + " giving up: vttablet: rpc error: code = InvalidArgument desc = GTIDSet Mismatch: requested source"
          + " position:" + first.gtid.getGtid() + ", current target vrep position: " + first.shard.positionAt(0));
    }
  }

  private Cursor resolve(FakeShard shard, Binlogdata.ShardGtid requested) {
    String position = requested.getGtid();
    Cursor cursor = new Cursor(shard, requested.getKeyspace(), position);
    cursor.gtid.addAllTablePKs(requested.getTablePKsList());
    if (position.equals(CURRENT)) {
      cursor.applied = shard.size();
      return cursor;
    }
    Map<String, List<String>> lastPks = new LinkedHashMap<>();
    for (Binlogdata.TableLastPK pk : requested.getTablePKsList()) {
      lastPks.put(pk.getTableName(), pk.hasLastpk() ? lastPkValues(pk.getLastpk()) : null);
    }
    Set<String> tables = new TreeSet<>();
    for (String table : shard.tables().keySet()) {
      if (matches(table) && (position.isEmpty() || lastPks.containsKey(table))) {
        tables.add(table);
      }
    }
    for (Binlogdata.Rule rule : request.getFilter().getRulesList()) {
      if (!rule.getMatch().startsWith("/") && !shard.tables().containsKey(rule.getMatch())) {
        throw fail(Status.UNKNOWN, "table " + rule.getMatch() + " is not present in the database");
      }
    }
    for (String table : selects.keySet()) {
      shown(shard.table(table).def());
    }
    if (!position.isEmpty()) {
      cursor.applied = startingTransaction(shard, position);
    }
    if (position.isEmpty() || !lastPks.isEmpty()) {
      cursor.phase = Phase.COPY;
      cursor.toCopy.addAll(tables);
      lastPks.forEach((table, pk) -> {
        if (pk != null && tables.contains(table)) {
          cursor.lastPk.put(table, pk);
        }
      });
    }
    return cursor;
  }

  /** The last transaction a position covers, or a GTIDSet Mismatch as the tablet reports it. */
  private static long startingTransaction(FakeShard shard, String position) {
    GtidPosition requested;
    try {
      requested = GtidPosition.parse(position);
    } catch (IllegalArgumentException e) {
      throw fail(Status.INVALID_ARGUMENT, "could not decode position " + position + ": " + e.getMessage());
    }
    GtidPosition current = GtidPosition.parse(shard.positionAt(shard.size()));
    // Vitess's Contains is false across flavors: a position of another kind of server is a mismatch
    if (requested.flavor() != current.flavor() || !current.contains(requested)) {
      throw fail(Status.INVALID_ARGUMENT, "GTIDSet Mismatch: requested source position:" + position
          + ", current target vrep position: " + current.toPosition());
    }
    if (!requested.contains(GtidPosition.parse(shard.positionAt(shard.purgedThrough())))) {
      // MySQL's error 1236 from the binlog dump, as vstreamer.go wrapError and VTGate pass it on
      throw fail(Status.UNKNOWN, "persistent error in vstream for " + shard.name() + " on tablet zone1-100;"
          + " giving up: stream (at source tablet) error @ " + position + ": Cannot replicate because the"
          + " source purged required binary logs. Replicate the missing transactions from elsewhere, or"
          + " provision a new replica from backup. (errno 1236) (sqlstate HY000)");
    }
    long transaction = shard.transactionAt(requested);
    if (transaction < 0) {
      throw fail(Status.INVALID_ARGUMENT, "GTIDSet Mismatch: the fake only streams from positions"
          + " of its shard's own transactions 1 to n, not " + position);
    }
    return transaction;
  }

  // ---------------------------------------------------------------- the main loop

  private void loop() throws InterruptedException {
    while (true) {
      checkGone();
      long seen = vitess.version();
      boolean progressed = false;
      for (Cursor cursor : new ArrayList<>(cursors)) {
        List<VEvent> events = step(cursor);
        if (!events.isEmpty()) {
          readTransaction(events);
          send(events);
          progressed = true;
        }
      }
      progressed |= followJournals();
      if (!progressed) {
        idle(seen);
      }
    }
  }

  private List<VEvent> step(Cursor cursor) {
    vitess.lock.lock();
    try {
      return switch (cursor.phase) {
        case COPY -> copyStep(cursor);
        case STREAM -> cursor.applied < cursor.shard.size()
            ? replay(cursor, cursor.applied + 1)
            : List.of();
        case PARKED -> List.of();
      };
    } finally {
      vitess.lock.unlock();
    }
  }

  /**
   * A tablet reading a binlog transaction: nothing of it goes out before its COMMIT, and VTGate's
   * heartbeat timer keeps firing meanwhile (vstream_manager.go sendEvents).
   */
  private void readTransaction(List<VEvent> events) throws InterruptedException {
    Duration readTime = settings.transactionReadTime();
    if (readTime == null || events.get(0).getType() != VEventType.BEGIN || events.get(0).getTimestamp() == 0) {
      return;
    }
    long until = System.nanoTime() + readTime.toNanos();
    while (true) {
      checkGone();
      long now = System.nanoTime();
      if (now >= until) {
        return;
      }
      if (heartbeatNanos > 0 && now - lastSend >= heartbeatNanos) {
        sendHeartbeat();
        continue;
      }
      long wait = until - now;
      if (heartbeatNanos > 0) {
        wait = Math.min(wait, lastSend + heartbeatNanos - now);
      }
      TimeUnit.NANOSECONDS.sleep(Math.max(1, Math.min(wait, IDLE_POLL_NANOS)));
    }
  }

  private void sendHeartbeat() throws InterruptedException {
    long now = System.currentTimeMillis();
    send(List.of(VEvent.newBuilder().setType(VEventType.HEARTBEAT)
        .setTimestamp(now / 1000).setCurrentTime(now * 1_000_000).build()));
  }

  private void idle(long seen) throws InterruptedException {
    long wait = IDLE_POLL_NANOS;
    if (heartbeatNanos > 0) {
      long due = lastSend + heartbeatNanos - System.nanoTime();
      if (due <= 0) {
        sendHeartbeat();
        return;
      }
      wait = Math.min(wait, due);
    }
    vitess.awaitChange(seen, wait);
  }

  // ---------------------------------------------------------------- copy phase (uvstreamer + copy.go)

  private List<VEvent> copyStep(Cursor c) {
    List<VEvent> events = new ArrayList<>();
    if (c.copying == null) {
      if (c.toCopy.isEmpty()) {
        c.phase = Phase.STREAM;
        c.copyCompleted = true;
        events.add(event(c, VEventType.COPY_COMPLETED, 0).build());
        if (cursors.stream().allMatch(other -> other.copyCompleted)) {
          events.add(VEvent.newBuilder().setType(VEventType.COPY_COMPLETED).build());
        }
        return events;
      }
      // catch up on what was copied so far, then snapshot the next table at the current position
      String table = c.toCopy.peekFirst();
      boolean fresh = c.applied == 0;
      long snapshot = c.shard.size();
      if (!fresh) {
        // each catch-up is a new vstreamer (uvstreamer.go catchup): FIELD events come again
        c.fieldsSent.clear();
        for (long n = c.applied + 1; n <= snapshot; n++) {
          events.addAll(replay(c, n));
        }
      }
      c.applied = snapshot;
      FakeTable t = c.shard.table(table);
      List<String> after = c.lastPk.get(table);
      c.copying = table;
      c.pending = new ArrayList<>(
          (after == null ? t.rows() : t.rows().tailMap(after, false)).values()).iterator();
      events.add(event(c, VEventType.BEGIN, 0).build());
      events.add(fields(c, t.def(), true, 0));
      // binlog rows after these copy rows come from another vstreamer, which sends its FIELD again
      c.fieldsSent.remove(table);
      if (fresh) {
        c.gtid.setGtid(c.shard.positionAt(snapshot));
        events.add(vgtid(c, 0));
      }
      return events;
    }
    TableDef def = c.shard.table(c.copying).def();
    if (c.pending.hasNext()) {
      List<String> last = null;
      for (int i = 0; i < settings.copyBatchSize() && c.pending.hasNext(); i++) {
        last = c.pending.next();
        events.add(rowEvent(c, def, 0, List.of(new BinlogEntry.Change(null, last)), false));
      }
      List<String> key = def.keyOf(last);
      c.lastPk.put(c.copying, key);
      setTablePk(c, c.copying, lastPkResult(def, key));
      events.add(vgtid(c, 0));
      events.add(event(c, VEventType.COMMIT, 0).build());
      return events;
    }
    c.toCopy.removeFirst();
    c.lastPk.remove(c.copying);
    removeTablePk(c, c.copying);
    c.copying = null;
    c.pending = null;
    events.add(event(c, VEventType.BEGIN, 0).build());
    events.add(vgtid(c, 0));
    events.add(event(c, VEventType.COMMIT, 0).build());
    return events;
  }

  // ---------------------------------------------------------------- binlog phase (vstreamer.go)

  /** The events of transaction {@code n} of the cursor's shard; moves the cursor past it. */
  private List<VEvent> replay(Cursor c, long n) {
    BinlogEntry entry = c.shard.entry(n);
    long ts = entry.commitSeconds();
    List<VEvent> events = new ArrayList<>();
    c.applied = n;
    switch (entry.kind()) {
      case SETUP -> c.gtid.setGtid(c.shard.positionAt(n));
      case TRANSACTION -> {
        c.shard.countRead();
        // every transaction shows, even one that touched none of the filtered tables
        events.add(event(c, VEventType.BEGIN, ts).build());
        for (BinlogEntry.Statement statement : entry.statements()) {
          if (!matches(statement.table())) {
            continue;
          }
          TableDef def = statement.def();
          List<BinlogEntry.Change> changes = new ArrayList<>();
          for (BinlogEntry.Change change : statement.changes()) {
            if (copied(c, def, change)) {
              changes.add(change);
            }
          }
          if (changes.isEmpty()) {
            continue;
          }
          if (c.fieldsSent.add(def.name())) {
            events.add(fields(c, def, false, ts));
          }
          events.add(rowEvent(c, def, ts, changes, settings.enumSetAsNumbers()));
        }
        c.gtid.setGtid(c.shard.positionAt(n));
        events.add(vgtid(c, ts));
        events.add(event(c, VEventType.COMMIT, ts).build());
      }
      case DDL -> {
        c.gtid.setGtid(c.shard.positionAt(n));
        c.fieldsSent.clear();
        events.add(vgtid(c, ts));
        events.add(event(c, VEventType.DDL, ts).setStatement(entry.ddl()).build());
      }
      case JOURNAL -> {
        c.gtid.setGtid(c.shard.positionAt(n));
        c.phase = Phase.PARKED;
        c.journal = entry.journal();
        if (request.getFlags().getIncludeReshardJournalEvents()
            || request.getFlags().getStopOnReshard()) {
          events.add(event(c, VEventType.BEGIN, ts).build());
          events.add(event(c, VEventType.JOURNAL, ts).setJournal(entry.journal()).build());
          events.add(vgtid(c, ts));
          events.add(event(c, VEventType.COMMIT, ts).build());
        }
      }
    }
    return events;
  }

  /**
   * During a copy's catch-up, binlog rows of a table still to copy show only once its copy has a
   * last key: all of them, as Vitess does, or those up to the last key when so configured.
   */
  private boolean copied(Cursor c, TableDef def, BinlogEntry.Change change) {
    if (!c.toCopy.contains(def.name())) {
      return true;
    }
    List<String> lastPk = c.lastPk.get(def.name());
    if (lastPk == null) {
      return false;
    }
    if (!settings.catchUpCopiedRowsOnly()) {
      return true;
    }
    List<String> row = change.after() != null ? change.after() : change.before();
    return def.keyOrder().compare(def.keyOf(row), lastPk) <= 0;
  }

  /** When every participant of a journal in this call has reached it, moves on to the new shards. */
  private boolean followJournals() {
    for (Cursor parked : cursors) {
      if (parked.phase != Phase.PARKED) {
        continue;
      }
      Binlogdata.Journal journal = parked.journal;
      List<Cursor> participants = new ArrayList<>();
      for (Binlogdata.KeyspaceShard participant : journal.getParticipantsList()) {
        Cursor found = cursors.stream()
            .filter(c -> c.keyspace().equals(participant.getKeyspace())
                && c.shard.name().equals(participant.getShard()))
            .findFirst()
            .orElseThrow(() -> fail(Status.INTERNAL,
                "not all journaling participants are in the stream: journal: "
                    + journal.getParticipantsList() + ", stream: " + vgtidMessage().getShardGtidsList()));
        participants.add(found);
      }
      if (participants.stream().anyMatch(c -> c.phase != Phase.PARKED
          || c.journal.getId() != journal.getId())) {
        return false;
      }
      if (request.getFlags().getStopOnReshard()) {
        throw new Failure(Status.OK);
      }
      int at = cursors.indexOf(participants.get(0));
      cursors.removeAll(participants);
      List<Cursor> targets = new ArrayList<>();
      vitess.lock.lock();
      try {
        for (Binlogdata.ShardGtid target : journal.getShardGtidsList()) {
          FakeShard shard = vitess.keyspace(target.getKeyspace()).findShard(target.getShard());
          Cursor next = new Cursor(shard, target.getKeyspace(), target.getGtid());
          next.applied = startingTransaction(shard, target.getGtid());
          targets.add(next);
        }
      } finally {
        vitess.lock.unlock();
      }
      cursors.addAll(Math.min(at, cursors.size()), targets);
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- events

  private VEvent.Builder event(Cursor c, VEventType type, long timestamp) {
    return VEvent.newBuilder().setType(type).setTimestamp(timestamp)
        .setCurrentTime(timestamp == 0 ? 0 : System.currentTimeMillis() * 1_000_000)
        .setKeyspace(c.keyspace()).setShard(c.shard.name());
  }

  private Binlogdata.VGtid vgtidMessage() {
    Binlogdata.VGtid.Builder all = Binlogdata.VGtid.newBuilder();
    for (Cursor cursor : cursors) {
      all.addShardGtids(cursor.gtid.build());
    }
    return all.build();
  }

  private VEvent vgtid(Cursor c, long timestamp) {
    return event(c, VEventType.VGTID, timestamp).setVgtid(vgtidMessage()).build();
  }

  /**
   * A FIELD event. Copy-phase ones, like copy.go's, leave the keyspace and shard of the FieldEvent
   * empty and have no timestamp; binlog ones have their transaction's (vstreamer.go stamps every
   * binlog event). Since Vitess 20 copy ones say ENUM and SET come as strings, binlog ones say so
   * when the table has such columns (vstreamer.go buildTablePlan). Columns are named {@code @1..}
   * in binlog ones of tables whose schema the tablet cannot match to the binlog.
   */
  private VEvent fields(Cursor c, TableDef table, boolean copy, long timestamp) {
    TableDef def = shown(table);
    boolean strings = !settings.enumSetAsNumbers()
        && (copy || def.columns().stream().anyMatch(VStreamSession::enumOrSet));
    Binlogdata.FieldEvent.Builder fields = Binlogdata.FieldEvent.newBuilder()
        .setTableName(c.keyspace() + "." + def.name())
        .setEnumSetStringValues(strings);
    if (!copy) {
      fields.setKeyspace(c.keyspace()).setShard(c.shard.name());
    }
    boolean unnamed = !copy && quirks.unnamedColumns().contains(def.name());
    for (int i = 0; i < def.columns().size(); i++) {
      ColumnDef column = def.columns().get(i);
      Query.Type type = column.vitessType();
      boolean text = (type.getNumber() & Query.Flag.ISTEXT_VALUE) != 0;
      int flags = (column.nullable() ? 0 : Query.MySqlFlag.NOT_NULL_FLAG_VALUE)
          | (def.primaryKey().contains(column.name()) ? Query.MySqlFlag.PRI_KEY_FLAG_VALUE : 0)
          | (type == Query.Type.ENUM ? Query.MySqlFlag.ENUM_FLAG_VALUE : 0)
          | (type == Query.Type.SET ? Query.MySqlFlag.SET_FLAG_VALUE : 0)
          | ((type.getNumber() & Query.Flag.ISUNSIGNED_VALUE) != 0 ? Query.MySqlFlag.UNSIGNED_FLAG_VALUE : 0)
          | (text ? 0 : Query.MySqlFlag.BINARY_FLAG_VALUE);
      if (unnamed) {
        fields.addFields(Query.Field.newBuilder().setName("@" + (i + 1)).setType(type)
            .setCharset(column.charsetId()).setFlags(flags));
        continue;
      }
      fields.addFields(Query.Field.newBuilder()
          .setName(column.name()).setType(type)
          .setTable(def.name()).setOrgTable(def.name())
          .setDatabase("vt_" + c.keyspace()).setOrgName(column.name())
          .setColumnLength(text ? 1020 : 20).setCharset(column.charsetId())
          .setFlags(flags).setColumnType(column.columnType()));
    }
    return event(c, VEventType.FIELD, timestamp).setFieldEvent(fields).build();
  }

  private VEvent rowEvent(Cursor c, TableDef table, long ts, List<BinlogEntry.Change> changes,
      boolean enumAsNumbers) {
    TableDef def = shown(table);
    Binlogdata.RowEvent.Builder rows = Binlogdata.RowEvent.newBuilder()
        .setTableName(c.keyspace() + "." + def.name())
        .setKeyspace(c.keyspace()).setShard(c.shard.name());
    for (BinlogEntry.Change change : changes) {
      Binlogdata.RowChange.Builder row = Binlogdata.RowChange.newBuilder();
      if (change.before() != null) {
        row.setBefore(row(def, table.valuesFor(def, change.before()), enumAsNumbers));
      }
      if (change.after() != null && change.before() != null && partialImages()) {
        // partial images are taught on whole tables only (no column list in the rule)
        partialAfter(def, change, enumAsNumbers, row);
      } else if (change.after() != null) {
        row.setAfter(row(def, table.valuesFor(def, change.after()), enumAsNumbers));
      }
      rows.addRowChanges(row);
    }
    return event(c, VEventType.ROW, ts).setRowEvent(rows).build();
  }

  private boolean partialImages() {
    return quirks.rowImage() == Quirks.RowImage.NOBLOB || quirks.partialJson();
  }

  /**
   * An update's after-image as MySQL writes it with NOBLOB (unchanged BLOB and TEXT columns left
   * out) or PARTIAL_JSON (a changed JSON value as an expression), with the bitmaps vstreamer.go
   * processRowEvent adds: data_columns when a column is missing or JSON is partial,
   * json_partial_values over the JSON columns.
   */
  private void partialAfter(TableDef def, BinlogEntry.Change change, boolean enumAsNumbers,
      Binlogdata.RowChange.Builder out) {
    List<String> after = new ArrayList<>(change.after());
    int columns = def.columns().size();
    byte[] present = new byte[(columns + 7) / 8];
    List<Boolean> jsonPartial = new ArrayList<>();
    boolean missing = false;
    for (int i = 0; i < columns; i++) {
      ColumnDef column = def.columns().get(i);
      Query.Type type = column.vitessType();
      boolean unchanged = java.util.Objects.equals(change.before().get(i), change.after().get(i));
      boolean blob = type == Query.Type.BLOB || type == Query.Type.TEXT;
      if (quirks.rowImage() == Quirks.RowImage.NOBLOB && blob && unchanged
          && !def.primaryKey().contains(column.name())) {
        after.set(i, null);
        missing = true;
        continue;
      }
      present[i / 8] |= (byte) (1 << (i % 8));
      if (type == Query.Type.JSON && quirks.partialJson()) {
        boolean partial = !unchanged && after.get(i) != null;
        if (partial) {
          after.set(i, "JSON_REPLACE(%s, '$', CAST('" + after.get(i).replace("'", "''") + "' AS JSON))");
        }
        jsonPartial.add(partial);
      }
    }
    out.setAfter(row(def, after, enumAsNumbers));
    if (missing || !jsonPartial.isEmpty()) {
      out.setDataColumns(Binlogdata.RowChange.Bitmap.newBuilder().setCount(columns)
          .setCols(ByteString.copyFrom(present)));
    }
    if (!jsonPartial.isEmpty()) {
      byte[] bits = new byte[(jsonPartial.size() + 7) / 8];
      for (int j = 0; j < jsonPartial.size(); j++) {
        if (jsonPartial.get(j)) {
          bits[j / 8] |= (byte) (1 << (j % 8));
        }
      }
      out.setJsonPartialValues(Binlogdata.RowChange.Bitmap.newBuilder().setCount(jsonPartial.size())
          .setCols(ByteString.copyFrom(bits)));
    }
  }

  /** A row as {@code query.Row}: lengths (-1 for NULL) and the values concatenated. */
  static Query.Row row(TableDef def, List<String> values, boolean enumAsNumbers) {
    Query.Row.Builder row = Query.Row.newBuilder();
    ByteString.Output bytes = ByteString.newOutput();
    for (int i = 0; i < values.size(); i++) {
      String value = values.get(i);
      if (value == null) {
        row.addLengths(-1);
        continue;
      }
      if (enumAsNumbers && enumOrSet(def.columns().get(i))) {
        value = memberNumber(def.columns().get(i), value);
      }
      byte[] b = def.columns().get(i).encode(value);
      row.addLengths(b.length);
      bytes.write(b, 0, b.length);
    }
    return row.setValues(bytes.toByteString()).build();
  }

  private static boolean enumOrSet(ColumnDef column) {
    return column.vitessType() == Query.Type.ENUM || column.vitessType() == Query.Type.SET;
  }

  /** How the binlog holds ENUM and SET values: the 1-based index, or a bitmask of members. */
  private static String memberNumber(ColumnDef column, String value) {
    List<String> members = ColumnType.parse(column.columnType(), true).members();
    if (column.vitessType() == Query.Type.ENUM) {
      return Integer.toString(members.indexOf(value) + 1);
    }
    long mask = 0;
    for (String member : value.isEmpty() ? new String[0] : value.split(",")) {
      int bit = members.indexOf(member);
      if (bit >= 0) {
        mask |= 1L << bit;
      }
    }
    return Long.toString(mask);
  }

  private static Query.QueryResult lastPkResult(TableDef def, List<String> key) {
    Query.QueryResult.Builder result = Query.QueryResult.newBuilder();
    for (ColumnDef column : def.keyColumns()) {
      result.addFields(Query.Field.newBuilder().setName(column.name()).setType(column.vitessType()));
    }
    return result.addRows(row(TableDef.of("pk", def.primaryKey(), def.keyColumns().toArray(ColumnDef[]::new)),
        key, false)).build();
  }

  private static List<String> lastPkValues(Query.QueryResult result) {
    Query.Row row = result.getRows(0);
    byte[] values = row.getValues().toByteArray();
    List<String> key = new ArrayList<>();
    int offset = 0;
    for (int i = 0; i < row.getLengthsCount(); i++) {
      int length = (int) row.getLengths(i);
      key.add(length < 0 ? null : new String(values, offset, length, StandardCharsets.UTF_8));
      offset += Math.max(0, length);
    }
    return key;
  }

  private static void setTablePk(Cursor c, String table, Query.QueryResult lastPk) {
    Binlogdata.TableLastPK pk = Binlogdata.TableLastPK.newBuilder()
        .setTableName(table).setLastpk(lastPk).build();
    for (int i = 0; i < c.gtid.getTablePKsCount(); i++) {
      if (c.gtid.getTablePKs(i).getTableName().equals(table)) {
        c.gtid.setTablePKs(i, pk);
        return;
      }
    }
    c.gtid.addTablePKs(pk);
  }

  private static void removeTablePk(Cursor c, String table) {
    for (int i = 0; i < c.gtid.getTablePKsCount(); i++) {
      if (c.gtid.getTablePKs(i).getTableName().equals(table)) {
        c.gtid.removeTablePKs(i);
        return;
      }
    }
  }

  /** The table as its rule's SELECT shows it: only the columns named, or all for {@code *}. */
  /**
   * The rule's columns of the table; a rule naming a column the table lacks fails the stream as
   * planbuilder.go's findColumn does, at the start of a copy or at the first row after an ALTER.
   */
  private TableDef shown(TableDef def) {
    List<String> columns = selects.get(def.name());
    if (columns == null) {
      return def;
    }
    for (String column : columns) {
      if (def.columns().stream().noneMatch(c -> c.name().equalsIgnoreCase(column))) {
        throw fail(Status.UNKNOWN, "vttablet: rpc error: code = FailedPrecondition desc = failed to build table"
            + " replication plan for table " + def.name() + ": column " + column + " not found in table " + def.name());
      }
    }
    return def.narrowedTo(columns);
  }

  private boolean matches(String table) {
    return rules.stream().anyMatch(rule -> rule.test(table));
  }

  // ---------------------------------------------------------------- sending

  /** A {@code current} peek: every shard of the request starts at {@code current}. */
  private boolean isPeek() {
    List<Binlogdata.ShardGtid> shards = request.getVgtid().getShardGtidsList();
    return !shards.isEmpty() && shards.stream().allMatch(s -> s.getGtid().equals(CURRENT));
  }

  /**
   * The canned events, in responses of {@code perResponse} events. The responses of one cycle of
   * blocks (a whole number of responses) are built once and sent again and again, so the server
   * costs little more than serializing them.
   */
  private void serveCanned(CannedStream canned) throws InterruptedException {
    if (!canned.prefix().isEmpty()) {
      send(canned.prefix());
    }
    List<VEvent> block = canned.block();
    int per = canned.perResponse();
    long total = block.size() * canned.count();
    long cycleEvents = lcm(block.size(), per);
    List<Vtgate.VStreamResponse> cycle = new ArrayList<>();
    if (cycleEvents / per <= 4096) {
      for (long from = 0; from < cycleEvents; from += per) {
        Vtgate.VStreamResponse.Builder response = Vtgate.VStreamResponse.newBuilder();
        for (long i = from; i < from + per; i++) {
          response.addEvents(block.get((int) (i % block.size())));
        }
        cycle.add(response.build());
      }
    }
    long at = 0;
    while (at < total) {
      checkGone();
      int n = (int) Math.min(total - at, per);
      boolean plain = settings.eventDelay() == null && failures.allowed(sent, n) < 0;
      if (n == per && plain && !cycle.isEmpty()) {
        write(cycle.get((int) ((at % cycleEvents) / per)), n);
      } else {
        List<VEvent> events = new ArrayList<>(n);
        for (long i = at; i < at + n; i++) {
          events.add(block.get((int) (i % block.size())));
        }
        send(events);
      }
      at += n;
    }
    if (!canned.suffix().isEmpty()) {
      send(canned.suffix());
    }
  }

  private static long lcm(long a, long b) {
    long x = a;
    long y = b;
    while (y != 0) {
      long t = x % y;
      x = y;
      y = t;
    }
    return a / x * b;
  }

  private void holdOpen() throws InterruptedException {
    while (true) {
      checkGone();
      synchronized (readiness) {
        readiness.wait(50);
      }
    }
  }

  private void send(List<VEvent> events) throws InterruptedException {
    if (settings.eventDelay() != null) {
      for (VEvent event : events) {
        TimeUnit.NANOSECONDS.sleep(settings.eventDelay().toNanos());
        emit(List.of(event));
      }
      return;
    }
    for (int from = 0; from < events.size(); from += MAX_EVENTS_PER_RESPONSE) {
      emit(events.subList(from, Math.min(events.size(), from + MAX_EVENTS_PER_RESPONSE)));
    }
  }

  /** Sends events, or breaks the stream where the failure plan says. */
  private void emit(List<VEvent> events) throws InterruptedException {
    int allowed = failures.allowed(sent, events.size());
    if (allowed >= 0) {
      if (allowed > 0) {
        write(Vtgate.VStreamResponse.newBuilder().addAllEvents(events.subList(0, allowed)).build(),
            allowed);
      }
      throw new Failure(Status.UNAVAILABLE.withDescription(
          "fake vtgate broke the stream after " + sent + " events"));
    }
    write(Vtgate.VStreamResponse.newBuilder().addAllEvents(events).build(), events.size());
  }

  private void write(Vtgate.VStreamResponse response, int events) throws InterruptedException {
    while (!out.isReady()) {
      checkGone();
      synchronized (readiness) {
        readiness.wait(50);
      }
    }
    checkGone();
    out.onNext(response);
    sent += events;
    record.sent(events);
    lastSend = System.nanoTime();
  }

  private void close(Status status) {
    if (cancelled || out.isCancelled()) {
      return;
    }
    record.closed(status);
    try {
      if (status.isOk()) {
        out.onCompleted();
      } else {
        out.onError(status.asRuntimeException());
      }
    } catch (IllegalStateException alreadyClosed) {
      // the call ended meanwhile
    }
  }

  private void checkGone() {
    if (cancelled || out.isCancelled()) {
      throw new Gone();
    }
  }

  private void wake() {
    synchronized (readiness) {
      readiness.notifyAll();
    }
  }

  private static Failure fail(Status status, String description) {
    return new Failure(status.withDescription(description));
  }
}
