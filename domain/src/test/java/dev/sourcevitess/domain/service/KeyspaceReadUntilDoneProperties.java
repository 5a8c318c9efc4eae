package dev.sourcevitess.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.sourcevitess.domain.fake.CapturedValues;
import dev.sourcevitess.domain.fake.DedupDestination;
import dev.sourcevitess.domain.fake.FakeChangeStreams;
import dev.sourcevitess.domain.fake.FakeRowSnapshots;
import dev.sourcevitess.domain.fake.FakeSchemaReader;
import dev.sourcevitess.domain.fake.RecordingOutput;
import dev.sourcevitess.domain.fake.SteppingClock;
import dev.sourcevitess.domain.fake.TestConfig;
import dev.sourcevitess.domain.fake.TextCursorCodec;
import dev.sourcevitess.domain.fake.TextRow;
import dev.sourcevitess.domain.model.ConfiguredStream;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamState;
import dev.sourcevitess.domain.model.SyncMode;
import dev.sourcevitess.domain.model.Table;
import dev.sourcevitess.domain.model.TableCursor;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The promise of incremental sync through one VStream per keyspace: random tables on random
 * shards, random changes (also while a sync runs), random breaks, streams joining the catalog at
 * different syncs and leaving it for some (so their positions differ), and reshards that split and
 * merge several shards; reading again and again from the last STATE leaves, for every table, a
 * destination that dedups on {@code _ab_cdc_cursor} and applies deletes equal to the source. On
 * the way, no read writes again a change its stream's state already covered.
 *
 * <p>A history is drawn as its steps, so a failure shrinks to a short one; the failure message
 * also says what each step did (which row, which shard, where a sync broke).
 *
 * <p>Histories the reader cannot follow yet are left out: a sync's states are at most one reshard
 * behind. So only shards that served at the last sync are resharded, and a reshard first brings
 * back the streams that left the catalog. Two reshards between syncs, the second merging a shard
 * the first made with one the state knows, fail the syncs as a config_error asking to reset the
 * streams: the journal of the known shard names a participant the VStream does not stream yet, and
 * VTGate (like the fake) refuses it with "not all journaling participants are in the stream" when
 * it meets that journal before the first reshard's. A stream that left the catalog over two
 * reshards fails its syncs the same way: its old shards' journal leads to shards the other
 * streams' positions are already on. Reshards while a sync reads are left out where
 * {@link Play#beforeRead} says.
 */
class KeyspaceReadUntilDoneProperties {
  private static final String KEYSPACE = "commerce";
  private static final int TRIES = 300;

  enum Op { INSERT, UPDATE, DELETE }

  /** One step of a history, played in order; a final sync of every table ends it. */
  interface Step {
    void play(Play play) throws InterruptedException;
  }

  /**
   * No step: what other steps shrink to (the first choice of {@link #steps}), since QuickTheories
   * shortens a list only from its end.
   */
  enum Skip implements Step {
    SKIP;

    @Override
    public void play(Play play) {}
  }

  /**
   * A transaction of one row change of table {@code table} on the {@code shard}-th serving shard
   * (modulo their number). An update or delete picks the {@code pick}-th row there (modulo), and
   * inserts when there is none.
   */
  record Change(int table, int shard, Op op, int pick, int amount) implements Step {
    @Override
    public void play(Play play) {
      play.commit(this);
    }

    @Override
    public String toString() {
      return op.name().toLowerCase() + " t" + table + (op == Op.INSERT ? "" : " row#" + pick) + " on shard#" + shard;
    }
  }

  /**
   * A change committed, or a reshard made, during a sync, after the sync's calls handed over
   * {@code events} events.
   */
  record During(int events, Step step) {
    @Override
    public String toString() {
      return "after " + events + " events: " + step;
    }
  }

  /**
   * A sync of the catalog, read again from the last STATE until it ends well. Its VStream calls,
   * in turn, break after {@code breaks} events, and each read gives up after {@code maxRetries}.
   * Its reads, in turn, are killed as {@code kills} say (a crash, a cancel).
   */
  record Sync(List<Integer> breaks, int maxRetries, List<During> during, List<Kill> kills) implements Step {
    static final Sync CALM = new Sync(List.of(), 0, List.of(), List.of());

    @Override
    public void play(Play play) throws InterruptedException {
      play.sync(this);
    }

    @Override
    public String toString() {
      return "sync(breaks " + breaks + ", retries " + maxRetries + (during.isEmpty() ? "" : ", during " + during)
          + (kills.isEmpty() ? "" : ", killed after " + kills + " messages") + ")";
    }
  }

  /**
   * A read killed after {@code after} messages of its output: nothing after them reaches the
   * destination, nor is any STATE after them kept; {@code then} happens before the next read.
   */
  record Kill(int after, Step then) {
    @Override
    public String toString() {
      return after + " messages, then " + then;
    }
  }

  /** Table {@code table} joins the catalog: it is copied at the next sync, then streamed with the others. */
  record Join(int table) implements Step {
    @Override
    public void play(Play play) {
      play.join(this);
    }

    @Override
    public String toString() {
      return "join t" + table;
    }
  }

  /**
   * Table {@code table} leaves the catalog, keeping its state: when it joins again, it goes on from
   * a position older than the other streams'. The last stream of the catalog stays, none leaves
   * between a reshard and the next sync, and a reshard brings back every stream that left (see the
   * class comment).
   */
  record Leave(int table) implements Step {
    @Override
    public void play(Play play) {
      play.leave(this);
    }

    @Override
    public String toString() {
      return "leave t" + table;
    }
  }

  /** Up to {@code sources} serving shards from the {@code first}-th (modulo) split or merge into {@code targets}. */
  record Reshard(int first, int sources, int targets) implements Step {
    @Override
    public void play(Play play) {
      play.reshard(this);
    }

    @Override
    public String toString() {
      return "reshard " + sources + " from shard#" + first + " into " + targets;
    }
  }

  /**
   * Tables t0… on shards s0…; t0 is in the catalog from the start. The clock moves {@code seconds}
   * at each reading: at 61, every chance to checkpoint is taken.
   */
  record History(int tables, int shards, int batchSize, int concurrency, int seconds, List<Step> steps) {
    @Override
    public String toString() {
      return tables + " tables on " + shards + " shards, batches of " + batchSize + ", " + concurrency
          + " readers, " + seconds + " s a reading: " + steps.stream().filter(s -> s != Skip.SKIP).toList();
    }
  }

  static Gen<History> histories() {
    return integers().between(1, 4).flatMap(tables -> integers().between(1, 4).zip(integers().between(1, 5),
        integers().between(1, 3), Generate.pick(List.of(7, 61)), lists().of(steps(tables)).ofSizeBetween(0, 60),
        (shards, batchSize, concurrency, seconds, steps) -> new History(tables, shards, batchSize, concurrency, seconds,
            steps)));
  }

  static Gen<Step> steps(int tables) {
    // every step but a sync is made of the same draws: one shrinks into another, and into a skip,
    // without shifting the draws of the steps after it
    Gen<Change> draws = changes(tables);
    Gen<Step> whileReading = Generate.frequency(Pair.of(6, draws.map(c -> c)),
        Pair.of(1, draws.map(KeyspaceReadUntilDoneProperties::reshard)));
    Gen<Step> syncs = lists().of(integers().between(0, 40)).ofSizeBetween(0, 6).zip(integers().between(0, 2),
        lists().of(integers().between(1, 12).zip(whileReading, During::new)).ofSizeBetween(0, 4),
        lists().of(integers().between(0, 60).zip(draws, Kill::new)).ofSizeBetween(0, 3), Sync::new);
    return Generate.frequency(Pair.of(1, draws.map(c -> Skip.SKIP)), Pair.of(10, draws.map(c -> c)),
        Pair.of(4, syncs), Pair.of(2, draws.map(c -> new Join(c.table()))),
        Pair.of(2, draws.map(c -> new Leave(c.table()))),
        Pair.of(1, draws.map(KeyspaceReadUntilDoneProperties::reshard)));
  }

  private static Step reshard(Change draws) {
    return new Reshard(draws.shard(), 1 + draws.pick() % 3, 1 + draws.amount() % 3);
  }

  static Gen<Change> changes(int tables) {
    return integers().between(0, tables - 1).zip(integers().between(0, 3), Generate.enumValues(Op.class),
        integers().between(0, 9), integers().between(0, 999), Change::new);
  }

  @Test
  void dedupedDestinationEqualsTheSourceForEveryTable() {
    Coverage coverage = new Coverage();
    qt().withExamples(TRIES).withFixedSeed(10).forAll(histories()).checkAssert(history -> {
      Play play = new Play(history);
      try {
        play.all();
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(e.getMessage() + "\nAs played:\n  " + String.join("\n  ", play.transcript), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      coverage.add(play);
    });
    // the histories reach the cases this property is for (counted over all tries, shrinking aside)
    assertTrue(coverage.severalSources >= TRIES / 10, "histories resharding several shards streams stood on: "
        + coverage.severalSources);
    assertTrue(coverage.staggered >= TRIES / 4, "histories with a sync whose streams stood at different positions"
        + " on a shard: " + coverage.staggered);
    assertTrue(coverage.reshardedWhileReading >= TRIES / 10, "histories resharding while a sync reads: "
        + coverage.reshardedWhileReading);
    assertTrue(coverage.killed >= TRIES / 4, "histories with a read killed part-way: " + coverage.killed);
    assertTrue(coverage.reshardedAtStop >= TRIES / 20, "histories resharding, while a sync reads, a shard where a"
        + " stream stood at its stop: " + coverage.reshardedAtStop);
  }

  /** How many histories reached each case; QuickTheories runs tries one after another. */
  private static final class Coverage {
    int severalSources;
    int staggered;
    int reshardedWhileReading;
    int reshardedAtStop;
    int killed;

    void add(Play play) {
      killed += play.killed ? 1 : 0;
      severalSources += play.severalSources ? 1 : 0;
      staggered += play.staggered ? 1 : 0;
      reshardedWhileReading += play.reshardedWhileReading ? 1 : 0;
      reshardedAtStop += play.reshardedAtStop ? 1 : 0;
    }
  }

  private static Table table(String name) {
    return new Table(name, List.of(VStreamFixture.column("id", "bigint", false),
        VStreamFixture.column("name", "varchar(64)", true), VStreamFixture.column("balance", "decimal(12,4)", true)),
        List.of("id"), 10, 1000);
  }

  /** One history played against a fake keyspace, with a destination per table and the last STATE. */
  static final class Play {
    private final History history;
    private final List<Table> tables = new ArrayList<>();
    private final FakeChangeStreams vtgate;
    private final Map<String, DedupDestination> destinations = new HashMap<>();
    private final Set<String> catalog = new LinkedHashSet<>();
    private final Map<StreamId, StreamState> state = new HashMap<>();
    // one clock for all syncs, as time is: _ab_cdc_cursor grows from it
    private final SteppingClock clock;
    private final TextCursorCodec codec = new TextCursorCodec();
    /**
     * The serving shards when the last sync's last read began. Only they are resharded between
     * syncs: VTGate fails a stream that meets a journal of a shard it does not stream yet (see the
     * class comment).
     */
    private final Set<Shard> synced = new HashSet<>();
    /** True while a sync reads: steps then come from reader threads. */
    private volatile boolean reading;
    /** Why no reshard may come while the read runs, or null. */
    private volatile String cannotReshardWhileReading;
    /** The shards a reshard may take while the read runs (see {@link #beforeRead}). */
    private final Set<Shard> reshardableWhileReading = new HashSet<>();
    /** The shards where a stream of the catalog stood at the shard's position as the read began. */
    private final Set<Shard> atStop = new HashSet<>();
    final List<String> transcript = Collections.synchronizedList(new ArrayList<>());
    private long nextId = 1;
    private long version;
    private int newShard;
    private int syncs;
    boolean severalSources;
    boolean staggered;
    volatile boolean reshardedWhileReading;
    /** A reshard while reading took a shard where a stream stood at the position peeked at its start. */
    volatile boolean reshardedAtStop;
    /** A read was killed part-way through its output. */
    boolean killed;

    Play(History history) {
      this.history = history;
      for (int i = 0; i < history.tables(); i++) {
        tables.add(table("t" + i));
        destinations.put("t" + i, new DedupDestination(List.of("id")));
      }
      List<Shard> shards = new ArrayList<>();
      for (int i = 0; i < history.shards(); i++) {
        shards.add(new Shard("s" + i));
      }
      vtgate = new FakeChangeStreams(KEYSPACE, tables, shards);
      synced.addAll(shards);
      vtgate.batchSize(history.batchSize());
      clock = new SteppingClock(Instant.parse("2025-01-01T00:00:00Z"), Duration.ofSeconds(history.seconds()));
      catalog.add("t0");
    }

    void all() throws InterruptedException {
      for (Step step : history.steps()) {
        step.play(this);
      }
      tables.forEach(t -> catalog.add(t.name()));
      sync(Sync.CALM);
      for (Table table : tables) {
        Map<List<Object>, Map<String, Object>> source = new HashMap<>();
        vtgate.rows(table.name()).forEach((key, row) -> source.put(List.of(new BigDecimal(key.get(0))),
            CapturedValues.dataOf(table.columns(), TextRow.of(row))));
        assertEquals(source, destinations.get(table.name()).rows(), table.name());
      }
    }

    synchronized void commit(Change change) {
      List<Shard> serving = vtgate.shards();
      Shard shard = serving.get(change.shard() % serving.size());
      String table = "t" + change.table();
      String name = "v" + version++;
      vtgate.commit(shard, tx -> {
        List<List<String>> keys = new ArrayList<>(tx.rowsOf(table).keySet());
        Op op = keys.isEmpty() ? Op.INSERT : change.op();
        String id = op == Op.INSERT ? String.valueOf(nextId++) : keys.get(change.pick() % keys.size()).get(0);
        switch (op) {
          case INSERT -> tx.insert(table, id, name, change.amount() + ".5");
          case UPDATE -> tx.update(table, id, change.amount() % 2 == 0 ? null : name, "-" + change.amount() + ".25");
          case DELETE -> tx.delete(table, List.of(id));
        }
        transcript.add(op.name().toLowerCase() + " " + table + " id " + id + " on " + shard);
      });
    }

    void join(Join join) {
      if (catalog.add("t" + join.table())) {
        transcript.add("t" + join.table() + " joins the catalog");
      }
    }

    void leave(Leave leave) {
      // one that left after a reshard would miss the sync that follows it and fall two reshards behind
      boolean resharded = !synced.containsAll(vtgate.shards());
      if (!resharded && catalog.size() > 1 && catalog.remove("t" + leave.table())) {
        transcript.add("t" + leave.table() + " leaves the catalog");
      }
    }

    void reshard(Reshard reshard) {
      if (reading && cannotReshardWhileReading != null) {
        transcript.add("no reshard while reading: " + cannotReshardWhileReading);
        return;
      }
      for (Table table : tables) {
        if (state.containsKey(new StreamId(KEYSPACE, table.name())) && catalog.add(table.name())) {
          transcript.add(table.name() + " joins the catalog again before the reshard");
        }
      }
      List<Shard> serving = vtgate.shards();
      serving.retainAll(reading ? reshardableWhileReading : synced);
      if (serving.isEmpty()) {
        transcript.add(reading ? "no reshard while reading: no stream has streamed a serving shard"
            : "no reshard: every shard is new since the last sync");
        return;
      }
      int first = reshard.first() % serving.size();
      List<Shard> from = new ArrayList<>(serving.subList(first, Math.min(serving.size(), first + reshard.sources())));
      List<Shard> to = new ArrayList<>();
      for (int i = 0; i < reshard.targets(); i++) {
        to.add(new Shard("r" + newShard++));
      }
      severalSources |= from.size() > 1 && state.values().stream().anyMatch(s -> streamedShards(s).stream()
          .filter(from::contains).count() > 1);
      reshardedWhileReading |= reading;
      reshardedAtStop |= reading && from.stream().anyMatch(atStop::contains);
      vtgate.reshard(from, to, (table, key) -> to.get(Math.floorMod(key.hashCode(), to.size())));
      transcript.add("reshard " + from + " into " + to);
    }

    void sync(Sync sync) throws InterruptedException {
      int number = ++syncs;
      List<ConfiguredStream> streams = catalog.stream()
          .map(t -> new ConfiguredStream(new StreamId(KEYSPACE, t), SyncMode.INCREMENTAL, Set.of())).toList();
      staggered |= streamsStandApart(streams);
      Queue<Integer> breaks = new ArrayDeque<>(sync.breaks());
      Queue<Kill> kills = new ArrayDeque<>(sync.kills());
      vtgate.breakAfter(() -> {
        synchronized (breaks) {
          return breaks.isEmpty() ? -1 : breaks.remove();
        }
      });
      DuringSync during = new DuringSync(sync.during());
      vtgate.afterEvent((shard, events) -> during.afterEvent(this));
      List<Shard> peeked;
      // every failed read takes at least one break, every killed one a kill; with none left, a read must end well
      for (int attempt = 1; ; attempt++) {
        RecordingOutput whole = new RecordingOutput();
        Map<StreamId, StreamState> saved = Map.copyOf(state);
        peeked = vtgate.shards();
        beforeRead(streams);
        reading = true;
        String outcome;
        try {
          new ReadStreams(TestConfig.vstream().maxRetries(sync.maxRetries()).concurrency(history.concurrency())
              .includeMetadata(true).build(),
              new FakeSchemaReader(tables.toArray(Table[]::new)), new FakeRowSnapshots(), vtgate, codec, whole, clock,
              d -> { }).read(streams, state);
          outcome = null;
        } catch (SourceException e) {
          outcome = e.getMessage();
          assertEquals(FailureType.TRANSIENT_ERROR, e.failureType(), e.getMessage());
        } finally {
          reading = false;
        }
        Kill kill = kills.poll();
        RecordingOutput out = kill == null ? whole : whole.prefix(kill.after());
        if (kill != null && kill.after() < whole.messages().size()) {
          outcome = "killed after " + kill.after() + " of " + whole.messages().size() + " messages";
          killed = true;
        }
        transcript.add("sync " + number + " of " + catalog + ", read " + attempt + ": "
            + (outcome == null ? "done" : "failed (" + outcome + ")") + ", " + out.records().size() + " records");
        assertNull(out.recordCountMismatch());
        assertFalse(out.overlapped());
        assertNothingCoveredWrittenAgain(out.records(), saved);
        for (ConfiguredStream stream : streams) {
          destinations.get(stream.id().name()).apply(out.records(), stream.id());
        }
        state.putAll(out.lastStates());
        if (outcome == null) {
          break;
        }
        if (kill != null) {
          kill.then().play(this);
        }
        if (attempt > sync.breaks().size() + sync.kills().size()) {
          fail("sync " + number + " fails with no break left: " + outcome);
        }
      }
      vtgate.breakAfter(() -> -1);
      vtgate.afterEvent((shard, events) -> { });
      // a reshard while reading may come after the stop positions: the states may still be on its sources
      synced.clear();
      synced.addAll(peeked);
    }

    /**
     * Events a stream's saved position already covers are not written again: where the state has
     * streamed a shard, each record's position (the shard's, before the record's transaction)
     * contains the saved one. A fake shard spells its positions {@code MySQL56/<uuid>:1-n}.
     */
    private void assertNothingCoveredWrittenAgain(List<RecordingOutput.Record> records,
        Map<StreamId, StreamState> saved) {
      for (RecordingOutput.Record record : records) {
        StreamState streamState = saved.get(record.stream());
        if (streamState == null) {
          continue;
        }
        String at = record.meta().metadata().vgtidPosition();
        for (String encoded : streamState.cursorsByShard().values()) {
          TableCursor cursor = codec.decode(encoded);
          if (!cursor.copying() && server(at).equals(server(cursor.position()))
              && transaction(at) < transaction(cursor.position())) {
            fail(record.stream() + " wrote " + record.data() + " at " + at + ", which its state's position "
                + cursor.position() + " on " + cursor.shard() + " already covers");
          }
        }
      }
    }

    private static String server(String position) {
      return position.substring(0, Math.max(0, position.indexOf(':')));
    }

    private static long transaction(String position) {
      return Long.parseLong(position.substring(Math.max(position.indexOf(':'), position.lastIndexOf('-')) + 1));
    }

    /**
     * Decides whether a reshard may come while the next read runs, and of which shards: those a
     * stream of the catalog has streamed (the keyspace stream then reads them all, so VTGate can
     * follow their journal), while no table is copied and no stream with state is out of the
     * catalog. The reader does not follow the others yet:
     *
     * <ul>
     *   <li>a copy cut by a reshard fails its read (a transient error, once VTGate no longer
     *       serves the old shard); the next read copies the new shards afresh, so rows the cut copy
     *       had already sent and that were deleted meanwhile stay in the destination;
     *   <li>a stream out of the catalog could only come back after the sync, and another reshard
     *       may come first (see the class comment);
     *   <li>a shard no stream has streamed yet (made by a reshard since the states were saved) is
     *       read only by the VStream that follows the journal to it.
     * </ul>
     */
    private void beforeRead(List<ConfiguredStream> streams) {
      cannotReshardWhileReading = null;
      if (tables.stream().anyMatch(t -> !catalog.contains(t.name()) && state.containsKey(new StreamId(KEYSPACE,
          t.name())))) {
        cannotReshardWhileReading = "a stream with state is out of the catalog";
      }
      reshardableWhileReading.clear();
      atStop.clear();
      List<Shard> serving = vtgate.shards();
      for (ConfiguredStream stream : streams) {
        StreamState saved = state.get(stream.id());
        if (saved == null || saved.cursorsByShard().values().stream().map(codec::decode)
            .anyMatch(TableCursor::copying)) {
          cannotReshardWhileReading = stream.id().name() + " is copied";
        } else {
          reshardableWhileReading.addAll(streamedShards(saved));
          saved.cursorsByShard().values().stream().map(codec::decode)
              .filter(c -> serving.contains(c.shard()) && c.position().equals(vtgate.position(c.shard())))
              .forEach(c -> atStop.add(c.shard()));
        }
      }
    }

    /** True when two streams of the catalog start this sync from different positions of a shard. */
    private boolean streamsStandApart(List<ConfiguredStream> streams) {
      Map<Shard, Set<String>> positions = new HashMap<>();
      for (ConfiguredStream stream : streams) {
        StreamState saved = state.get(stream.id());
        if (saved != null) {
          saved.cursorsByShard().values().stream().map(codec::decode).filter(c -> !c.copying())
              .forEach(c -> positions.computeIfAbsent(c.shard(), s -> new HashSet<>()).add(c.position()));
        }
      }
      return positions.values().stream().anyMatch(p -> p.size() > 1);
    }

    /** The shards a stream's state has streamed positions on. */
    private Set<Shard> streamedShards(StreamState saved) {
      Set<Shard> shards = new TreeSet<>();
      saved.cursorsByShard().values().stream().map(codec::decode).filter(c -> !c.copying())
          .map(TableCursor::shard).forEach(shards::add);
      return shards;
    }
  }

  /** Plays a sync's changes and reshards as its calls hand over events, counted over all its calls. */
  private static final class DuringSync {
    private final List<During> steps;
    private int events;

    DuringSync(List<During> steps) {
      this.steps = steps;
    }

    synchronized void afterEvent(Play play) {
      events++;
      for (During step : steps) {
        if (step.events() == events) {
          play.transcript.add("while reading, after " + events + " events:");
          try {
            step.step().play(play);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        }
      }
    }
  }
}
