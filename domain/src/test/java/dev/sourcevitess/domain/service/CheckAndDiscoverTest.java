package dev.sourcevitess.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.fake.FakeChangeStreams;
import dev.sourcevitess.domain.fake.FakeSchemaReader;
import dev.sourcevitess.domain.fake.TestConfig;
import dev.sourcevitess.domain.model.DiscoveredStream;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.SyncMode;
import dev.sourcevitess.domain.model.Table;
import dev.sourcevitess.domain.port.ChangeStreamException;
import java.util.List;
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
    List<DiscoveredStream> streams = new DiscoverCatalog(TestConfig.vstream().includeMetadata(true).build(), schema)
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
    DiscoveredStream orders = new DiscoverCatalog(TestConfig.standard().build(), schema).discover().get(0);
    assertEquals(Set.of(SyncMode.FULL_REFRESH), orders.syncModes());
    assertFalse(orders.cdc() || orders.sourceDefinedCursor());
    assertTrue(orders.defaultCursorField().isEmpty());
  }

  @Test
  void aSchemaFailureReachesTheCaller() {
    schema.failWith(new SourceException(FailureType.TRANSIENT_ERROR, "lost", ""));
    DiscoverCatalog discover = new DiscoverCatalog(TestConfig.standard().build(), schema);
    assertEquals(FailureType.TRANSIENT_ERROR,
        org.junit.jupiter.api.Assertions.assertThrows(SourceException.class, discover::discover).failureType());
  }
}
