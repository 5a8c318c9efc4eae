package dev.sourcevitess.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The promise of incremental sync through one VStream per keyspace: random tables on random
 * shards, random changes (also while a sync runs), random breaks, streams joining the catalog at
 * different syncs (so their positions differ), and reshards that split and merge several shards;
 * reading again and again from the last STATE leaves, for every table, a destination that dedups
 * on {@code _ab_cdc_cursor} and applies deletes equal to the source.
 *
 * <p>A property in all but its runner: each seed draws one history. It belongs with
 * ReadUntilDoneProperties on QuickTheories (a {@code longs().all()} seed drawn like there) once
 * that migration is merged.
 */
class KeyspaceReadUntilDoneTest {
  private static final String KEYSPACE = "commerce";
  private static final int SEEDS = 120;

  @Test
  void dedupedDestinationEqualsTheSourceForEveryTable() throws InterruptedException {
    for (long seed = 1; seed <= SEEDS; seed++) {
      try {
        run(seed);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
      }
    }
    // the histories reach the cases this test is for
    assertTrue(severalSources >= SEEDS / 10, "reshards of several source shards: " + severalSources);
    assertTrue(staggered >= SEEDS / 4, "syncs whose streams stood at different positions: " + staggered);
  }

  private int severalSources;
  private int staggered;

  private static Table table(String name) {
    return new Table(name, List.of(VStreamFixture.column("id", "bigint", false),
        VStreamFixture.column("name", "varchar(64)", true), VStreamFixture.column("balance", "decimal(12,4)", true)),
        List.of("id"), 10, 1000);
  }

  private void run(long seed) throws InterruptedException {
    Random random = new Random(seed);
    List<Table> tables = new ArrayList<>();
    for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
      tables.add(table("t" + i));
    }
    List<Shard> shards = new ArrayList<>();
    for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
      shards.add(new Shard("s" + i));
    }
    FakeChangeStreams vtgate = new FakeChangeStreams(KEYSPACE, tables, shards);
    vtgate.batchSize(1 + random.nextInt(5));
    History history = new History(vtgate, tables, random);
    history.randomOps(5 + random.nextInt(20));

    Map<String, DedupDestination> destinations = new HashMap<>();
    tables.forEach(t -> destinations.put(t.name(), new DedupDestination(List.of("id"))));
    // each table joins the catalog at a sync of its own: streams of one VStream then stand at different positions
    Map<String, Integer> joinsAt = new HashMap<>();
    int syncs = 2 + random.nextInt(3);
    tables.forEach(t -> joinsAt.put(t.name(), random.nextInt(syncs)));
    Map<StreamId, StreamState> state = new HashMap<>();
    // one clock for all syncs, as time is: _ab_cdc_cursor grows from it
    SteppingClock clock = new SteppingClock(Instant.parse("2025-01-01T00:00:00Z"), Duration.ofSeconds(7));
    int newShard = 0;
    for (int sync = 0; sync <= syncs; sync++) {
      boolean last = sync == syncs;
      int now = sync;
      List<ConfiguredStream> catalog = tables.stream().filter(t -> last || joinsAt.get(t.name()) <= now)
          .map(t -> new ConfiguredStream(new StreamId(KEYSPACE, t.name()), SyncMode.INCREMENTAL, java.util.Set.of()))
          .toList();
      if (!last) {
        history.randomOps(random.nextInt(15));
      }
      boolean joinedBefore = catalog.stream().anyMatch(s -> joinsAt.get(s.id().name()) < now);
      boolean joinsNow = catalog.stream().anyMatch(s -> joinsAt.get(s.id().name()) == now - 1);
      staggered += joinedBefore && joinsNow && now > 1 ? 1 : 0;
      for (int attempt = 0; ; attempt++) {
        boolean chaos = !last && attempt < 25;
        vtgate.breakAfter(() -> chaos && history.coin(0.5) ? history.next(40) : -1);
        vtgate.afterEvent((shard, events) -> {
          if (chaos && history.coin(0.05)) {
            history.randomOps(1);
          }
        });
        RecordingOutput out = new RecordingOutput();
        boolean done;
        try {
          new ReadStreams(TestConfig.vstream().maxRetries(history.next(3)).concurrency(1 + history.next(3)).build(),
              new FakeSchemaReader(tables.toArray(Table[]::new)), new FakeRowSnapshots(), vtgate,
              new TextCursorCodec(), out, clock, d -> { }).read(catalog, state);
          done = true;
        } catch (SourceException e) {
          assertEquals(FailureType.TRANSIENT_ERROR, e.failureType(), e.getMessage());
          done = false;
        }
        assertNull(out.recordCountMismatch());
        assertFalse(out.overlapped());
        for (ConfiguredStream stream : catalog) {
          destinations.get(stream.id().name()).apply(out.records(), stream.id());
        }
        state.putAll(out.lastStates());
        if (done) {
          break;
        }
      }
      // a reshard between syncs, once every stream of the catalog has its positions
      if (!last && random.nextInt(3) == 0) {
        List<Shard> serving = vtgate.shards();
        List<Shard> from = new ArrayList<>(serving.subList(0, 1 + random.nextInt(serving.size())));
        List<Shard> to = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
          to.add(new Shard("r" + newShard++));
        }
        severalSources += from.size() > 1 ? 1 : 0;
        vtgate.reshard(from, to, (table, key) -> to.get(Math.floorMod(key.hashCode(), to.size())));
      }
    }
    for (Table table : tables) {
      Map<List<Object>, Map<String, Object>> source = new HashMap<>();
      vtgate.rows(table.name()).forEach((key, row) -> source.put(List.of(new BigDecimal(key.get(0))),
          CapturedValues.dataOf(table.columns(), TextRow.of(row))));
      assertEquals(source, destinations.get(table.name()).rows(), table.name());
    }
  }

  /** Random inserts, updates and deletes of random tables on random serving shards. */
  private static final class History {
    private final FakeChangeStreams vtgate;
    private final List<Table> tables;
    private final Random random;
    private long nextId = 1;
    private long version;

    History(FakeChangeStreams vtgate, List<Table> tables, Random random) {
      this.vtgate = vtgate;
      this.tables = tables;
      this.random = random;
    }

    synchronized boolean coin(double p) {
      return random.nextDouble() < p;
    }

    synchronized int next(int bound) {
      return random.nextInt(bound);
    }

    synchronized void randomOps(int count) {
      for (int i = 0; i < count; i++) {
        List<Shard> serving = vtgate.shards();
        Shard shard = serving.get(random.nextInt(serving.size()));
        String table = tables.get(random.nextInt(tables.size())).name();
        String name = "v" + version++;
        vtgate.commit(shard, tx -> {
          List<List<String>> keys = new ArrayList<>(tx.rowsOf(table).keySet());
          int op = keys.isEmpty() ? 0 : random.nextInt(3);
          switch (op) {
            case 0 -> tx.insert(table, String.valueOf(nextId++), name, random.nextInt(1000) + ".5");
            case 1 -> tx.update(table, keys.get(random.nextInt(keys.size())).get(0),
                random.nextBoolean() ? null : name, "-" + random.nextInt(1000) + ".25");
            default -> tx.delete(table, keys.get(random.nextInt(keys.size())));
          }
        });
      }
    }
  }
}
