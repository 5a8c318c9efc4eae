package dev.sourcevitess.vstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import binlogdata.Binlogdata;
import dev.sourcevitess.domain.model.Secret;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.TlsMode;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.domain.port.ChangeStreamException.Reason;
import dev.sourcevitess.domain.port.ChangeStreams;
import dev.sourcevitess.domain.port.UnknownColumnException;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.vitess.proto.Vtgate;
import io.vitess.proto.grpc.VitessGrpc;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** How failures reach the domain: classified, clearly worded, never with the password. */
class VtgateErrorsTest {
  private static final ChangeStreams.Request REQUEST = new ChangeStreams.Request("commerce", "customer",
      List.of(new ChangeStreams.Start(Shard.UNSHARDED, "MySQL56/a:1-5", null)));

  /** Runs a stream against a server that answers with {@code behaviour}. */
  private static ChangeStreamException failure(
      BiConsumer<Vtgate.VStreamRequest, StreamObserver<Vtgate.VStreamResponse>> behaviour) throws Exception {
    String name = "errors-" + UUID.randomUUID();
    Server server = InProcessServerBuilder.forName(name).addService(new VitessGrpc.VitessImplBase() {
      @Override
      public void vStream(Vtgate.VStreamRequest request, StreamObserver<Vtgate.VStreamResponse> out) {
        behaviour.accept(request, out);
      }
    }).build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    try {
      SourceConfig config = TestConfigs.config("fake", 1, TlsMode.DISABLED);
      ChangeStreams streams = new VtgateChangeStreams(channel,
          new VtgateCredentials(TestConfigs.USER, new Secret(TestConfigs.PASSWORD)), config, Duration.ofSeconds(1));
      return assertThrows(ChangeStreamException.class, () -> streams.stream(REQUEST, e -> true));
    } finally {
      channel.shutdownNow();
      server.shutdownNow().awaitTermination();
    }
  }

  @Test
  void aServerThatEndsTheStreamLeftItUnavailable() throws Exception {
    ChangeStreamException e = failure((request, out) -> {
      out.onNext(Vtgate.VStreamResponse.newBuilder().addEvents(
          Binlogdata.VEvent.newBuilder().setType(Binlogdata.VEventType.HEARTBEAT)).build());
      out.onCompleted();
    });
    // the handler returned true for the heartbeat: the stream was wanted, the server ended it
    assertEquals(Reason.UNAVAILABLE, e.reason());
    assertTrue(e.getMessage().contains("ended the stream"), e.getMessage());
  }

  @Test
  void eachStatusHasItsReason() throws Exception {
    record Case(Status status, Reason reason) {}
    for (Case c : List.of(
        new Case(Status.UNAVAILABLE.withDescription("connection reset"), Reason.UNAVAILABLE),
        new Case(Status.CANCELLED.withDescription("vtgate shutting down"), Reason.UNAVAILABLE),
        new Case(Status.DEADLINE_EXCEEDED, Reason.DEADLINE_EXCEEDED),
        new Case(Status.UNAUTHENTICATED, Reason.ACCESS_DENIED),
        new Case(Status.PERMISSION_DENIED.withDescription("table acl"), Reason.ACCESS_DENIED),
        new Case(Status.INVALID_ARGUMENT.withDescription(
            "GTIDSet Mismatch: requested source position:MySQL56/a:1-5, current target vrep position: x"),
            Reason.POSITION_MISMATCH),
        new Case(Status.UNKNOWN.withDescription("stream (at source tablet) error @ MySQL56/a:1-5: Could not find"
            + " GTID state requested by slave in any binlog files (errno 1236) (sqlstate HY000)"),
            Reason.POSITION_LOST),
        new Case(Status.CANCELLED.withDescription("failed to find a REPLICA tablet for VStream in commerce/-80"
            + " within the zone1 cell(s): context has expired"), Reason.NO_TABLET),
        new Case(Status.FAILED_PRECONDITION.withDescription("shard provided in VGTID, -40, not found in the"
            + " commerce keyspace"), Reason.NOT_FOUND),
        new Case(Status.UNKNOWN.withDescription("vttablet: partial row image encountered: ensure"
            + " binlog_row_image is set to 'full'"), Reason.UNREADABLE_ROWS),
        new Case(Status.UNKNOWN.withDescription("Cannot replicate because the master purged required binary logs"),
            Reason.POSITION_LOST),
        new Case(Status.NOT_FOUND.withDescription("node doesn't exist: keyspaces/commerce/SrvKeyspace"),
            Reason.NOT_FOUND),
        new Case(Status.UNKNOWN.withDescription("table customer is not present in the database"),
            Reason.NOT_FOUND),
        new Case(Status.INVALID_ARGUMENT.withDescription("unknown keyspace commerce"), Reason.NOT_FOUND),
        new Case(Status.INTERNAL.withDescription("not all journaling participants are in the stream: journal:"
            + " [keyspace:\"commerce\" shard:\"80-\"], stream: [keyspace:\"commerce\" shard:\"-80\"]"),
            Reason.RESHARD_NOT_FOLLOWED),
        new Case(Status.INVALID_ARGUMENT.withDescription("bad filter"), Reason.OTHER),
        new Case(Status.INTERNAL.withDescription("boom"), Reason.OTHER))) {
      ChangeStreamException e = failure((request, out) -> out.onError(c.status().asRuntimeException()));
      assertEquals(c.reason(), e.reason(), c.status().toString());
      assertTrue(e.getMessage().contains(c.status().getCode().name()), e.getMessage());
      assertTrue(e.getMessage().contains("commerce.customer"), e.getMessage());
    }
  }

  /** The words of vstreamer.go and planbuilder.go (v0.24), as the local cluster's VTGate sends them. */
  @Test
  void aColumnSomeRowsLackIsNamedAndRowsOlderThanTheSchemaSayHowToGoOn() throws Exception {
    ChangeStreamException gone = failure((request, out) -> out.onError(Status.UNKNOWN.withDescription(
        "vttablet: rpc error: code = Unknown desc = stream (at source tablet) error @ 0-100-662: failed to build"
            + " table replication plan for table Orders: column `odd``name` not found in table Orders")
        .asRuntimeException()));
    assertEquals(Reason.UNKNOWN_COLUMN, gone.reason());
    assertEquals("Orders", ((UnknownColumnException) gone).table());
    assertEquals("odd`name", ((UnknownColumnException) gone).column());

    ChangeStreamException old = failure((request, out) -> out.onError(Status.UNKNOWN.withDescription(
        "persistent error in vstream for commerce/-80 on tablet zone1-0000000100; giving up: vttablet: rpc error:"
            + " code = Unknown desc = stream (at source tablet) error @ 0-100-662: cannot determine table columns"
            + " for x_drop2: event has [8 15 246 15], schema has [name:\"id\" type:INT64] failed to build table"
            + " replication plan for table x_drop2").asRuntimeException()));
    assertEquals(Reason.UNREADABLE_ROWS, old.reason());
    assertTrue(old.getMessage().contains("Reset stream x_drop2") && old.getMessage().contains("--track-schema-versions"),
        old.getMessage());
  }

  @Test
  void aPasswordEchoedByTheServerIsHidden() throws Exception {
    ChangeStreamException e = failure((request, out) -> out.onError(Status.INVALID_ARGUMENT
        .withDescription("user reader with password " + TestConfigs.PASSWORD + " is not allowed")
        .asRuntimeException()));
    assertEquals(Reason.OTHER, e.reason());
    assertTrue(e.getMessage().contains("******"), e.getMessage());
    VtgateChangeStreamsTest.assertSecretFree(e, TestConfigs.PASSWORD);
    assertTrue(e.getCause() instanceof StatusRuntimeException);
  }

  @Test
  void aStatementTheTabletsQuoteIsShownWithoutItsCredentials() throws Exception {
    // vstreamer.go quotes a binlog statement it cannot place with Go's %q, CREATE USER included
    ChangeStreamException e = failure((request, out) -> out.onError(Status.UNKNOWN.withDescription(
        "vttablet: rpc error: code = Unknown desc = stream (at source tablet) error @ MariaDB/0-100-57: unexpected"
            + " statement type UNKNOWN in row-based replication: \"/*M!100100 CREATE USER u12 IDENTIFIED BY"
            + " 'quoted-pw-16' */\"").asRuntimeException()));
    assertTrue(e.getMessage().contains("unexpected statement type UNKNOWN") && e.getMessage().contains("IDENTIFIED"),
        e.getMessage());
    VtgateChangeStreamsTest.assertSecretFree(e, "quoted-pw-16");
  }

  @Test
  void anUnreadableEventIsOtherAndAHandlersOwnFailurePassesThrough() throws Exception {
    ChangeStreamException e = failure((request, out) -> out.onNext(Vtgate.VStreamResponse.newBuilder()
        .addEvents(Binlogdata.VEvent.newBuilder().setType(Binlogdata.VEventType.VGTID)
            .setVgtid(Binlogdata.VGtid.newBuilder().addShardGtids(
                Binlogdata.ShardGtid.newBuilder().setKeyspace("commerce").setGtid("MySQL56/a:1"))))
        .build()));
    assertEquals(Reason.OTHER, e.reason());
    assertTrue(e.getMessage().contains("cannot read"), e.getMessage());

    String name = "handler-" + UUID.randomUUID();
    Server server = InProcessServerBuilder.forName(name).addService(new VitessGrpc.VitessImplBase() {
      @Override
      public void vStream(Vtgate.VStreamRequest request, StreamObserver<Vtgate.VStreamResponse> out) {
        out.onNext(Vtgate.VStreamResponse.newBuilder().addEvents(
            Binlogdata.VEvent.newBuilder().setType(Binlogdata.VEventType.BEGIN)).build());
      }
    }).build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    try {
      SourceConfig config = TestConfigs.config("fake", 1, TlsMode.DISABLED);
      ChangeStreams streams = new VtgateChangeStreams(channel,
          new VtgateCredentials(TestConfigs.USER, new Secret(TestConfigs.PASSWORD)), config, Duration.ofSeconds(1));
      IllegalArgumentException mine = assertThrows(IllegalArgumentException.class, () -> streams.stream(REQUEST, ev -> {
        throw new IllegalArgumentException("the handler's own");
      }));
      assertEquals("the handler's own", mine.getMessage());
    } finally {
      channel.shutdownNow();
      server.shutdownNow().awaitTermination();
    }
  }

  @Test
  void anUnreachableVtgateIsUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    SourceConfig config = TestConfigs.config("127.0.0.1", closedPort, TlsMode.DISABLED);
    ManagedChannel channel = VtgateChannels.open(config);
    try {
      ChangeStreams streams = new VtgateChangeStreams(channel,
          new VtgateCredentials(TestConfigs.USER, config.password()), config, Duration.ofSeconds(1));
      ChangeStreamException e = assertThrows(ChangeStreamException.class, () -> streams.currentPositions("commerce"));
      assertEquals(Reason.UNAVAILABLE, e.reason());
      assertTrue(e.getMessage().contains("keyspace commerce"), e.getMessage());
    } finally {
      channel.shutdownNow();
    }
  }
}
