package dev.sourcevitess.vstream.fake;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The data behind a {@link FakeVtgate}: keyspaces of shards, each with tables, rows and a binlog
 * of transactions. Thread-safe: tests change it while streams read it; every change wakes the
 * streams waiting for one.
 */
public final class FakeVitess {
  final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Clock clock;
  private final Map<String, FakeKeyspace> keyspaces = new LinkedHashMap<>();
  private long version;
  private long nextJournalId = 7000;

  public FakeVitess() {
    this(Clock.systemUTC());
  }

  /** @param clock the time commits are stamped with */
  public FakeVitess(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Adds a keyspace with the given shards ({@code "-"} for an unsharded one). */
  public FakeKeyspace addKeyspace(String name, String... shards) {
    lock.lock();
    try {
      if (keyspaces.containsKey(name)) {
        throw new IllegalArgumentException("keyspace " + name + " exists");
      }
      FakeKeyspace keyspace = new FakeKeyspace(this, name);
      keyspaces.put(name, keyspace);
      for (String shard : shards) {
        keyspace.addShard(shard);
      }
      changed();
      return keyspace;
    } finally {
      lock.unlock();
    }
  }

  public FakeKeyspace keyspace(String name) {
    FakeKeyspace keyspace = findKeyspace(name);
    if (keyspace == null) {
      throw new IllegalArgumentException("no keyspace " + name);
    }
    return keyspace;
  }

  public List<FakeKeyspace> keyspaces() {
    lock.lock();
    try {
      return new ArrayList<>(keyspaces.values());
    } finally {
      lock.unlock();
    }
  }

  FakeKeyspace findKeyspace(String name) {
    lock.lock();
    try {
      return keyspaces.get(name);
    } finally {
      lock.unlock();
    }
  }

  Clock clock() {
    return clock;
  }

  long nextJournalId() {
    return nextJournalId++;
  }

  /** Called under the lock after every change. */
  void changed() {
    version++;
    changed.signalAll();
  }

  long version() {
    lock.lock();
    try {
      return version;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until something changed after {@code seen}, at most {@code nanos}. */
  void awaitChange(long seen, long nanos) throws InterruptedException {
    lock.lock();
    try {
      long left = nanos;
      while (version == seen && left > 0) {
        left = changed.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }
}
