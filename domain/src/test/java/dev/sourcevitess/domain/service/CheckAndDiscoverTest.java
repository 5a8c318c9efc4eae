package dev.sourcevitess.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.fake.FakeChangeStreams;
import dev.sourcevitess.domain.fake.FakeRowSnapshots;
import dev.sourcevitess.domain.fake.FakeSchemaReader;
import dev.sourcevitess.domain.fake.RecordingOutput;
import dev.sourcevitess.domain.fake.TestConfig;
import dev.sourcevitess.domain.fake.TextCursorCodec;
import dev.sourcevitess.domain.model.ConfiguredStream;
import dev.sourcevitess.domain.model.DiscoveredStream;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.SyncMode;
import dev.sourcevitess.domain.model.Table;
import dev.sourcevitess.domain.port.ChangeStreamException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CheckAndDiscoverTest {
  private static final Table ORDERS = new Table("orders", List.of(VStreamFixture.column("shop", "int", false),
      VStreamFixture.column("id", "bigint unsigned", false), VStreamFixture.column("note", "text", true)),
      List.of("shop", "id"), 10, 10);
  private static final Table NOTES = new Table("notes", List.of(VStreamFixture.column("body", "text", true)),
      List.of(), 1, 1);

  private final FakeSchemaReader schema = new FakeSchemaReader(ORDERS, NOTES);
  private final FakeChangeStreams vtgate = new FakeChangeStreams("commerce", List.of(ORDERS),
      List.of(VStreamFixture.LOW, VStreamFixture.HIGH));

  @Test
  void checkUnderVstreamProvesTheStreamToo() {
    CheckConnection.Result ok = new CheckConnection(TestConfig.vstream().build(), schema, vtgate).check();
    assertTrue(ok.succeeded());
    assertTrue(ok.message().contains("commerce") && ok.message().contains("reader") && ok.message().contains("-80"),
        ok.message());
    assertEquals(1, vtgate.peeks());
  }

  @Test
  void checkUnderStandardDoesNotTouchVtgate() {
    assertTrue(new CheckConnection(TestConfig.standard().build(), schema, vtgate).check().succeeded());
    assertEquals(0, vtgate.peeks());
  }

  @Test
  void aFailedCheckSaysWhyWithoutThePassword() {
    vtgate.failEveryCall(new ChangeStreamException(ChangeStreamException.Reason.ACCESS_DENIED, "bad auth"));
    CheckConnection.Result failed = new CheckConnection(TestConfig.vstream().build(), schema, vtgate).check();
    assertFalse(failed.succeeded());
    assertTrue(failed.message().contains("reader"), failed.message());
    assertFalse(failed.message().contains("s3cret-Pa55"));

    schema.failWith(SourceException.config("Wrong user name or password for user reader."));
    assertEquals("Wrong user name or password for user reader.",
        new CheckConnection(TestConfig.standard().build(), schema, vtgate).check().message());
  }

  @Test
  void discoverUnderVstreamOffersIncrementalWithTheCdcCursor() {
    List<DiscoveredStream> streams = new DiscoverCatalog(TestConfig.vstream().includeMetadata(true).build(), schema,
        vtgate)
        .discover();
    DiscoveredStream orders = streams.get(0);
    assertEquals("commerce", orders.id().namespace());
    assertEquals(List.of("shop", "id"), orders.primaryKey());
    assertEquals(Set.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL), orders.syncModes());
    assertTrue(orders.cdc() && orders.metadata() && orders.sourceDefinedCursor() && orders.resumable());
    assertEquals(List.of("_ab_cdc_cursor"), orders.defaultCursorField());
    assertFalse(streams.get(1).resumable(), "a keyless table cannot resume");
  }

  @Test
  void discoverUnderStandardOffersFullRefreshOnly() {
    DiscoveredStream orders = new DiscoverCatalog(TestConfig.standard().build(), schema, vtgate).discover().get(0);
    assertEquals(Set.of(SyncMode.FULL_REFRESH), orders.syncModes());
    assertFalse(orders.cdc() || orders.sourceDefinedCursor());
    assertTrue(orders.defaultCursorField().isEmpty());
  }

  @Test
  void aSchemaFailureReachesTheCaller() {
    schema.failWith(new SourceException(FailureType.TRANSIENT_ERROR, "lost", ""));
    DiscoverCatalog discover = new DiscoverCatalog(TestConfig.standard().build(), schema, vtgate);
    assertEquals(FailureType.TRANSIENT_ERROR,
        assertThrows(SourceException.class, discover::discover).failureType());
  }

  @Test
  void checkRefusesTheShardsReadWouldRefuse() {
    CheckConnection.Result unknownShard = new CheckConnection(TestConfig.vstream().shards("-80", "c0-").build(), schema,
        vtgate).check();
    assertFalse(unknownShard.succeeded());
    assertEquals("The shards filter names c0-, not shards of commerce; its shards are -80, 80-.",
        unknownShard.message());

    CheckConnection.Result unknownStart = new CheckConnection(TestConfig.vstream().startingGtids(
        Map.of("commerce", Map.of(new Shard("-"), "MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5"))).build(), schema,
        vtgate).check();
    assertFalse(unknownStart.succeeded());
    assertTrue(unknownStart.message().startsWith("starting_gtids names shards -, not shards of commerce"),
        unknownStart.message());
  }

  @Test
  void vstreamAgainstPlainMysqlIsAConfigErrorInEveryCommandThatSuggestsStandard() {
    schema.plainMysql();
    vtgate.failEveryCall(new ChangeStreamException(ChangeStreamException.Reason.UNAVAILABLE, "connection refused"));
    String expected = "127.0.0.1:3306 is a MySQL server without Vitess, and no VTGate answers on"
        + " 127.0.0.1:15991";

    CheckConnection.Result check = new CheckConnection(TestConfig.vstream().build(), schema, vtgate).check();
    assertFalse(check.succeeded());
    assertTrue(check.message().startsWith(expected) && check.message().contains("Set replication_method to STANDARD"),
        check.message());

    SourceException discover = assertThrows(SourceException.class,
        () -> new DiscoverCatalog(TestConfig.vstream().build(), schema, vtgate).discover());
    assertEquals(FailureType.CONFIG_ERROR, discover.failureType());
    assertTrue(discover.getMessage().startsWith(expected), discover.getMessage());

    ReadStreams read = new ReadStreams(TestConfig.vstream().build(), schema, new FakeRowSnapshots(), vtgate,
        new TextCursorCodec(), new RecordingOutput(), Clock.systemUTC(), d -> { });
    SourceException failed = assertThrows(SourceException.class, () -> read.read(List.of(new ConfiguredStream(
        new StreamId("commerce", "orders"), SyncMode.INCREMENTAL, Set.of())), Map.of()));
    assertEquals(FailureType.CONFIG_ERROR, failed.failureType(), "not a transient error Airbyte retries forever");
    assertTrue(failed.getMessage().startsWith(expected), failed.getMessage());
  }

  @Test
  void vtgateThatDoesNotAnswerBehindVitessKeepsItsOwnMessage() {
    vtgate.failEveryCall(new ChangeStreamException(ChangeStreamException.Reason.UNAVAILABLE, "connection refused"));
    CheckConnection.Result check = new CheckConnection(TestConfig.vstream().build(), schema, vtgate).check();
    assertTrue(check.message().contains("grpc_port"), check.message());
    assertFalse(check.message().contains("without Vitess"), check.message());
  }

  @Test
  void discoverUnderVstreamChecksVtgateOnlyWhenTheServerIsNotVitess() {
    new DiscoverCatalog(TestConfig.vstream().build(), schema, vtgate).discover();
    assertEquals(0, vtgate.peeks());
    schema.plainMysql();
    assertEquals(2, new DiscoverCatalog(TestConfig.vstream().build(), schema, vtgate).discover().size());
    assertEquals(1, vtgate.peeks(), "a VTGate beside a plain server (a test set-up) is fine");
  }

  @Test
  void aTableWithAnApproximateKeyIsNotResumableUnderStandard() {
    schema.add(new Table("readings", List.of(VStreamFixture.column("at", "double", false)), List.of("at"), 1, 1));
    assertFalse(new DiscoverCatalog(TestConfig.standard().build(), schema, vtgate).discover().get(2).resumable());
    assertTrue(new DiscoverCatalog(TestConfig.vstream().build(), schema, vtgate).discover().get(2).resumable());
  }
}
