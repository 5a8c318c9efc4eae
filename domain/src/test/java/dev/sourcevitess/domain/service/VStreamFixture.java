package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.fake.FakeChangeStreams;
import dev.sourcevitess.domain.fake.FakeRowSnapshots;
import dev.sourcevitess.domain.fake.FakeSchemaReader;
import dev.sourcevitess.domain.fake.RecordingOutput;
import dev.sourcevitess.domain.fake.SteppingClock;
import dev.sourcevitess.domain.fake.TextCursorCodec;
import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.ColumnType;
import dev.sourcevitess.domain.model.ConfiguredStream;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamState;
import dev.sourcevitess.domain.model.SyncMode;
import dev.sourcevitess.domain.model.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A two-shard keyspace with a customer table, and a read of it into a recording output. */
final class VStreamFixture {
  static final String KEYSPACE = "commerce";
  static final Shard LOW = new Shard("-80");
  static final Shard HIGH = new Shard("80-");
  static final Table CUSTOMER = new Table("customer", List.of(
      column("id", "bigint", false), column("name", "varchar(64)", true), column("balance", "decimal(12,4)", true)),
      List.of("id"), 42, 4096);
  static final StreamId CUSTOMER_ID = new StreamId(KEYSPACE, "customer");

  final FakeChangeStreams vtgate;
  final RecordingOutput out = new RecordingOutput();
  final FakeSchemaReader schema = new FakeSchemaReader(CUSTOMER);
  /** Moves 61 s per reading, so every chance to checkpoint is taken; shared by all reads, as time is. */
  final SteppingClock clock = new SteppingClock(Instant.parse("2025-01-01T00:00:00Z"), Duration.ofSeconds(61));

  VStreamFixture(Shard... shards) {
    vtgate = new FakeChangeStreams(KEYSPACE, List.of(CUSTOMER), List.of(shards));
  }

  static Column column(String name, String type, boolean nullable) {
    return new Column(name, ColumnType.parse(type, true), nullable);
  }

  static Shard shardOf(long id) {
    return id < 100 ? LOW : HIGH;
  }

  void insert(long id, String name) {
    vtgate.commit(shardOf(id), tx -> tx.insert("customer", String.valueOf(id), name, id + ".5000"));
  }

  void update(long id, String name) {
    vtgate.commit(shardOf(id), tx -> tx.update("customer", String.valueOf(id), name, id + ".2500"));
  }

  void delete(long id) {
    vtgate.commit(shardOf(id), tx -> tx.delete("customer", List.of(String.valueOf(id))));
  }

  ReadStreams reader(SourceConfig config) {
    return new ReadStreams(config, schema, new FakeRowSnapshots(), vtgate,
        new TextCursorCodec(), out, clock, duration -> { });
  }

  static List<ConfiguredStream> catalog(SyncMode mode) {
    return List.of(new ConfiguredStream(CUSTOMER_ID, mode, Set.of()));
  }

  void read(SourceConfig config, SyncMode mode, Map<StreamId, StreamState> state) throws InterruptedException {
    reader(config).read(catalog(mode), state);
  }
}
