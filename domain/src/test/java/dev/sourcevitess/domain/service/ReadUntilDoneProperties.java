package dev.sourcevitess.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.sourcevitess.domain.fake.CapturedValues;
import dev.sourcevitess.domain.fake.DedupDestination;
import dev.sourcevitess.domain.fake.FakeChangeStreams;
import dev.sourcevitess.domain.fake.PropertyInputs;
import dev.sourcevitess.domain.fake.RecordingOutput;
import dev.sourcevitess.domain.fake.TestConfig;
import dev.sourcevitess.domain.fake.TextRow;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamState;
import dev.sourcevitess.domain.model.SyncMode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The promise of incremental sync: whatever the history and wherever streams break, reading again
 * and again from the last STATE leaves a destination that dedups on {@code _ab_cdc_cursor} and
 * applies deletes equal to the source table.
 */
class ReadUntilDoneProperties {

  /** One history and its reads: the seed draws the history, where streams break and the retries. */
  record Run(long seed, int shardCount, int syncs, int batchSize, int concurrency) {}

  static Gen<Run> runs() {
    return PropertyInputs.anyLong().zip(integers().between(1, 4), integers().between(1, 3), integers().between(1, 6),
        integers().between(1, 4), Run::new);
  }

  @Test
  void dedupedDestinationEqualsTheSource() {
    qt().withExamples(150).withFixedSeed(1).forAll(runs()).checkAssert(run -> {
      try {
        readUntilDone(run);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    });
  }

  private static void readUntilDone(Run run) throws InterruptedException {
    Random random = new Random(run.seed());
    List<Shard> shards = new ArrayList<>();
    for (int i = 0; i < run.shardCount(); i++) {
      shards.add(new Shard("s" + i));
    }
    VStreamFixture f = new VStreamFixture(shards.toArray(Shard[]::new));
    FakeChangeStreams vtgate = f.vtgate;
    vtgate.batchSize(run.batchSize());
    History history = new History(vtgate, shards, random);
    history.randomOps(10 + random.nextInt(30));

    DedupDestination destination = new DedupDestination(List.of("id"));
    Map<StreamId, StreamState> state = new HashMap<>();
    for (int sync = 0; sync <= run.syncs(); sync++) {
      boolean last = sync == run.syncs();
      if (!last) {
        history.randomOps(random.nextInt(15));
      }
      for (int attempt = 0; ; attempt++) {
        boolean chaos = !last && attempt < 25;
        vtgate.breakAfter(() -> chaos && history.coin(0.5) ? history.next(40) : -1);
        vtgate.afterEvent((shard, events) -> {
          if (chaos && history.coin(0.05)) {
            history.randomOpOn(shard);
          }
        });
        f.out.clear();
        boolean done;
        try {
          f.read(TestConfig.vstream().maxRetries(history.next(3)).concurrency(run.concurrency())
              .build(), SyncMode.INCREMENTAL, state);
          done = true;
        } catch (SourceException e) {
          assertEquals(FailureType.TRANSIENT_ERROR, e.failureType(), e.getMessage());
          done = false;
        }
        assertNull(f.out.recordCountMismatch());
        assertFalse(f.out.overlapped());
        destination.apply(f.out.records(), VStreamFixture.CUSTOMER_ID);
        state.putAll(f.out.lastStates());
        if (done) {
          break;
        }
      }
    }
    assertEquals(sourceRows(vtgate), destination.rows());
  }

  private static Map<List<Object>, Map<String, Object>> sourceRows(FakeChangeStreams vtgate) {
    Map<List<Object>, Map<String, Object>> out = new HashMap<>();
    vtgate.rows("customer").forEach((key, row) -> out.put(List.of(new BigDecimal(key.get(0))),
        CapturedValues.dataOf(VStreamFixture.CUSTOMER.columns(), TextRow.of(row))));
    return out;
  }

  /** Random inserts, updates and deletes; ids live on shard {@code id % shards}. */
  private static final class History {
    private final FakeChangeStreams vtgate;
    private final List<Shard> shards;
    private final Random random;
    private final Map<Shard, List<Long>> live = new HashMap<>();
    private long nextId = 1;
    private long version;

    History(FakeChangeStreams vtgate, List<Shard> shards, Random random) {
      this.vtgate = vtgate;
      this.shards = shards;
      this.random = random;
      shards.forEach(s -> live.put(s, new ArrayList<>()));
    }

    synchronized boolean coin(double p) {
      return random.nextDouble() < p;
    }

    synchronized int next(int bound) {
      return random.nextInt(bound);
    }

    synchronized void randomOps(int count) {
      for (int i = 0; i < count; i++) {
        randomOpOn(shards.get(random.nextInt(shards.size())));
      }
    }

    synchronized void randomOpOn(Shard shard) {
      List<Long> ids = live.get(shard);
      int op = ids.isEmpty() ? 0 : random.nextInt(3);
      String name = "v" + version++;
      switch (op) {
        case 0 -> {
          long id = nextId++ * shards.size() + shards.indexOf(shard);
          vtgate.commit(shard, tx -> tx.insert("customer", String.valueOf(id), name, random.nextInt(1000) + ".5"));
          ids.add(id);
        }
        case 1 -> {
          long id = ids.get(random.nextInt(ids.size()));
          vtgate.commit(shard, tx -> tx.update("customer", String.valueOf(id), random.nextBoolean() ? null : name,
              "-" + random.nextInt(1000) + ".25"));
        }
        default -> {
          long id = ids.remove(random.nextInt(ids.size()));
          vtgate.commit(shard, tx -> tx.delete("customer", List.of(String.valueOf(id))));
        }
      }
    }
  }
}
