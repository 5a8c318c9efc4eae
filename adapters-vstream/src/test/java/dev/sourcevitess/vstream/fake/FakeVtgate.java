package dev.sourcevitess.vstream.fake;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.vitess.proto.Topodata;
import io.vitess.proto.Vtgate;
import io.vitess.proto.grpc.VitessGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fake VTGate serving {@code vtgateservice.Vitess/VStream} from a {@link FakeVitess}, in-process
 * or on loopback TCP (plaintext or TLS). Follows documented VStream behaviour: {@code current}
 * peeks, copy phase with last keys, copy resume, binlog streaming, heartbeats, reshard journals,
 * GTIDSet mismatches. Knobs can be changed at any time; they apply to calls that start after.
 *
 * <pre>{@code
 * FakeVitess vitess = new FakeVitess();
 * FakeKeyspace ks = vitess.addKeyspace("commerce", "-80", "80-");
 * ks.createTable(TableDef.of("customer", List.of("id"),
 *     ColumnDef.notNull("id", "bigint"), ColumnDef.nullable("email", "varchar(128)")));
 * ks.shard("-80").commit(tx -> tx.insert("customer", "1", "a@example.com"));
 * try (FakeVtgate vtgate = FakeVtgate.inProcess(vitess).requireCredentials("u", "p")) {
 *   Channel channel = vtgate.channel();
 *   ...
 * }
 * }</pre>
 */
public final class FakeVtgate implements AutoCloseable {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> USERNAME = Metadata.Key.of("username", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> PASSWORD = Metadata.Key.of("password", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> CALL_AUTHORIZATION = Context.key("authorization");

  /** What a call runs with; a snapshot taken when it starts. */
  record Settings(
      int copyBatchSize, Duration heartbeatIdle, boolean enumSetAsNumbers, Duration eventDelay,
      CannedStream canned, boolean catchUpCopiedRowsOnly, Duration transactionReadTime) {
    Settings(int copyBatchSize, Duration heartbeatIdle, boolean enumSetAsNumbers, Duration eventDelay,
        CannedStream canned, boolean catchUpCopiedRowsOnly) {
      this(copyBatchSize, heartbeatIdle, enumSetAsNumbers, eventDelay, canned, catchUpCopiedRowsOnly, null);
    }

    Settings withTransactionReadTime(Duration readTime) {
      return new Settings(copyBatchSize, heartbeatIdle, enumSetAsNumbers, eventDelay, canned, catchUpCopiedRowsOnly,
          readTime);
    }

    Settings with(int batch) {
      return new Settings(batch, heartbeatIdle, enumSetAsNumbers, eventDelay, canned, catchUpCopiedRowsOnly, transactionReadTime);
    }

    Settings withHeartbeat(Duration idle) {
      return new Settings(copyBatchSize, idle, enumSetAsNumbers, eventDelay, canned, catchUpCopiedRowsOnly, transactionReadTime);
    }

    Settings withEnumSetAsNumbers(boolean legacy) {
      return new Settings(copyBatchSize, heartbeatIdle, legacy, eventDelay, canned, catchUpCopiedRowsOnly, transactionReadTime);
    }

    Settings withDelay(Duration delay) {
      return new Settings(copyBatchSize, heartbeatIdle, enumSetAsNumbers, delay, canned, catchUpCopiedRowsOnly, transactionReadTime);
    }

    Settings withCanned(CannedStream stream) {
      return new Settings(copyBatchSize, heartbeatIdle, enumSetAsNumbers, eventDelay, stream, catchUpCopiedRowsOnly, transactionReadTime);
    }

    Settings withCatchUpCopiedRowsOnly(boolean only) {
      return new Settings(copyBatchSize, heartbeatIdle, enumSetAsNumbers, eventDelay, canned, only, transactionReadTime);
    }
  }

  /** Where calls break: after {@code afterEvents} events, in every call or in the first only. */
  static final class FailurePlan {
    private final int afterEvents;
    private final boolean everyCall;
    private final AtomicBoolean fired;

    FailurePlan(int afterEvents, boolean everyCall, AtomicBoolean fired) {
      this.afterEvents = afterEvents;
      this.everyCall = everyCall;
      this.fired = fired;
    }

    static FailurePlan none() {
      return new FailurePlan(-1, false, new AtomicBoolean(true));
    }

    /** How many of {@code batch} events go out before the break, or -1 for no break here. */
    int allowed(int sentSoFar, int batch) {
      if (afterEvents < 0 || sentSoFar + batch < afterEvents) {
        return -1;
      }
      if (!everyCall && !fired.compareAndSet(false, true)) {
        return -1;
      }
      return Math.max(0, afterEvents - sentSoFar);
    }
  }

  private final FakeVitess vitess;
  private final Server server;
  private final ManagedChannel channel;
  private final ExecutorService sessions;
  private final List<CallRecord> calls = new CopyOnWriteArrayList<>();
  private final AtomicReference<Settings> settings =
      new AtomicReference<>(new Settings(1000, null, false, null, null, false));
  private final AtomicReference<FailurePlan> failures = new AtomicReference<>(FailurePlan.none());
  private final AtomicReference<Quirks> quirks = new AtomicReference<>(Quirks.none());
  private final AtomicReference<String> expectedAuthorization = new AtomicReference<>();
  private final AtomicReference<List<String>> expectedStaticAuth = new AtomicReference<>();
  private final String host;

  private FakeVtgate(FakeVitess vitess, Transport transport, FakeTls tls, int port) {
    this.vitess = Objects.requireNonNull(vitess, "vitess");
    this.sessions = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "fake-vtgate-vstream");
      thread.setDaemon(true);
      return thread;
    });
    var service = ServerInterceptors.intercept(new Service(), new Authentication());
    try {
      if (transport == Transport.IN_PROCESS) {
        String name = "fake-vtgate-" + UUID.randomUUID();
        this.server = InProcessServerBuilder.forName(name).addService(service).build().start();
        this.channel = InProcessChannelBuilder.forName(name).build();
        this.host = name;
      } else {
        NettyServerBuilder builder = NettyServerBuilder
            .forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
            // VTGate refuses client keepalive pings more frequent than this
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .addService(service);
        if (tls != null) {
          builder.sslContext(tls.serverContext());
        }
        this.server = builder.build().start();
        this.channel = null;
        this.host = InetAddress.getLoopbackAddress().getHostAddress();
      }
    } catch (IOException e) {
      sessions.shutdownNow();
      throw new UncheckedIOException("cannot start the fake VTGate", e);
    }
  }

  private enum Transport { IN_PROCESS, TCP }

  /** Serves in-process; {@link #channel()} reaches it. */
  public static FakeVtgate inProcess(FakeVitess vitess) {
    return new FakeVtgate(vitess, Transport.IN_PROCESS, null, 0);
  }

  /** Serves plaintext gRPC on a free loopback port: {@link #host()}:{@link #port()}. */
  public static FakeVtgate tcp(FakeVitess vitess) {
    return new FakeVtgate(vitess, Transport.TCP, null, 0);
  }

  /** Serves gRPC over TLS with {@code tls}'s certificate on a free loopback port. */
  public static FakeVtgate tcp(FakeVitess vitess, FakeTls tls) {
    return new FakeVtgate(vitess, Transport.TCP, Objects.requireNonNull(tls, "tls"), 0);
  }

  /** Serves on loopback {@code port} (0 for a free one), over TLS when {@code tls} is not null. */
  public static FakeVtgate tcp(FakeVitess vitess, FakeTls tls, int port) {
    return new FakeVtgate(vitess, Transport.TCP, tls, port);
  }

  public FakeVitess vitess() {
    return vitess;
  }

  /** The in-process channel (owned by the fake, closed with it). */
  public ManagedChannel channel() {
    if (channel == null) {
      throw new IllegalStateException("a TCP fake is reached at " + host + ":" + port());
    }
    return channel;
  }

  /** The loopback address a TCP fake listens on ({@code 127.0.0.1}). */
  public String host() {
    return host;
  }

  public int port() {
    return server.getPort();
  }

  // ---------------------------------------------------------------- knobs

  /**
   * As PlanetScale: calls must carry {@code authorization: Basic base64(user:password)}; others get
   * UNAUTHENTICATED.
   */
  public FakeVtgate requireCredentials(String user, String password) {
    expectedAuthorization.set("Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    return this;
  }

  /**
   * As a self-hosted VTGate with {@code --grpc_auth_mode static}: calls must carry the
   * {@code username} and {@code password} keys (UNAUTHENTICATED "username and password must be
   * provided" without them, PERMISSION_DENIED for wrong ones); {@code authorization} is ignored.
   */
  public FakeVtgate requireStaticAuth(String user, String password) {
    expectedStaticAuth.set(List.of(user, password));
    return this;
  }

  /** Rows per copy batch (one ROW event each, then a VGTID with the new last key and a COMMIT). */
  public FakeVtgate copyBatchSize(int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("a batch has at least one row");
    }
    settings.updateAndGet(s -> s.with(rows));
    return this;
  }

  /**
   * The idle time after which a HEARTBEAT is sent, replacing the request's
   * {@code heartbeat_interval} seconds; calls that ask for no heartbeats still get none.
   */
  public FakeVtgate heartbeatIdle(Duration idle) {
    settings.updateAndGet(s -> s.withHeartbeat(idle));
    return this;
  }

  /**
   * Vitess before 20: binlog rows carry ENUM indexes and SET bitmasks and FIELD events never set
   * {@code enum_set_string_values} (copy rows still carry the strings).
   */
  public FakeVtgate enumSetAsNumbers(boolean legacy) {
    settings.updateAndGet(s -> s.withEnumSetAsNumbers(legacy));
    return this;
  }

  /**
   * How long a tablet takes to read each binlog transaction, as with a large one: VTGate sends
   * nothing of it until its COMMIT, and HEARTBEATs meanwhile when that is longer than the
   * heartbeat interval. Null: at once.
   */
  public FakeVtgate transactionReadTime(Duration readTime) {
    settings.updateAndGet(s -> s.withTransactionReadTime(readTime));
    return this;
  }

  /** Waits this long before each event (and sends events one per response): a slow tablet. */
  public FakeVtgate eventDelay(Duration delay) {
    settings.updateAndGet(s -> s.withDelay(delay == null || delay.isZero() ? null : delay));
    return this;
  }

  /** Serves {@code stream} to every call instead of the model; null goes back to the model. */
  public FakeVtgate serveCanned(CannedStream stream) {
    settings.updateAndGet(s -> s.withCanned(stream));
    return this;
  }

  /**
   * How a copy resumed from a position with a last key catches up. By default as Vitess does
   * (uvstreamer.go shouldSendEventForTable, isRowCopied): every binlog change of a table whose copy
   * has a last key, also to rows the copy has yet to read (at-least-once), and none of tables not
   * started. With {@code true}, only changes to rows up to the last key.
   */
  public FakeVtgate catchUpCopiedRowsOnly(boolean only) {
    settings.updateAndGet(s -> s.withCatchUpCopiedRowsOnly(only));
    return this;
  }

  /**
   * Breaks calls with UNAVAILABLE once they have sent {@code events} events: the first call that
   * gets there, or every call.
   */
  public FakeVtgate failAfterEvents(int events, boolean everyCall) {
    failures.set(new FailurePlan(events, everyCall, new AtomicBoolean(false)));
    return this;
  }

  /**
   * The tablets' {@code binlog_row_image}, and whether {@code binlog_row_value_options} is
   * PARTIAL_JSON. NOBLOB: an update's after-image leaves out the unchanged BLOB and TEXT columns
   * (NULL in the row, clear in {@code data_columns}); PARTIAL_JSON: a changed JSON value is an
   * expression, flagged in {@code json_partial_values}; MINIMAL: the tablets refuse to stream
   * (Vitess's vstreamer engine.go).
   */
  public FakeVtgate binlogRowImage(Quirks.RowImage image, boolean partialJson) {
    quirks.updateAndGet(q -> q.withRowImage(image, partialJson));
    return this;
  }

  /** Binlog FIELD events of these tables name their columns @1..@N, as when the schema does not match. */
  public FakeVtgate unnamedColumns(String... tables) {
    quirks.updateAndGet(q -> q.withUnnamedColumns(Set.of(tables)));
    return this;
  }

  /**
   * Only these tablet types serve; a call for another fails as VTGate's tablet picker does after
   * {@code wait} (90 s in Vitess): CANCELED, "failed to find a ... tablet".
   */
  public FakeVtgate servedTabletTypes(Duration wait, Topodata.TabletType... types) {
    quirks.updateAndGet(q -> q.withTablets(Set.of(types), wait));
    return this;
  }

  /** The next {@code calls} calls from a position meet a replica behind it: GTIDSet Mismatch. */
  public FakeVtgate laggingReplica(int calls) {
    quirks.get().laggingCalls().set(calls);
    return this;
  }

  public FakeVtgate clearFailures() {
    failures.set(FailurePlan.none());
    return this;
  }

  // ---------------------------------------------------------------- observations

  /** How many VStream calls got past authentication. */
  public int vstreamCalls() {
    return calls.size();
  }

  public List<CallRecord> calls() {
    return new ArrayList<>(calls);
  }

  public CallRecord lastCall() {
    if (calls.isEmpty()) {
      throw new IllegalStateException("no VStream call yet");
    }
    return calls.get(calls.size() - 1);
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.shutdownNow();
    }
    server.shutdownNow();
    sessions.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
      sessions.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Service extends VitessGrpc.VitessImplBase {
    @Override
    public void vStream(Vtgate.VStreamRequest request, StreamObserver<Vtgate.VStreamResponse> out) {
      CallRecord record = new CallRecord(request, CALL_AUTHORIZATION.get());
      calls.add(record);
      // the call's callbacks (ready, cancel) need this thread back: stream from another one
      VStreamSession session = new VStreamSession(vitess, settings.get(), quirks.get(), failures.get(), request,
          (ServerCallStreamObserver<Vtgate.VStreamResponse>) out, record);
      sessions.execute(session);
    }
  }

  private final class Authentication implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      String given = headers.get(AUTHORIZATION);
      String expected = expectedAuthorization.get();
      if (expected != null && !expected.equals(given)) {
        return refuse(call, Status.UNAUTHENTICATED.withDescription(
            "fake vtgate: access denied, invalid credentials"));
      }
      List<String> staticAuth = expectedStaticAuth.get();
      if (staticAuth != null) {
        String user = headers.get(USERNAME);
        String password = headers.get(PASSWORD);
        if (user == null || password == null) {
          return refuse(call, Status.UNAUTHENTICATED.withDescription("username and password must be provided"));
        }
        if (!staticAuth.equals(List.of(user, password))) {
          return refuse(call, Status.PERMISSION_DENIED.withDescription(
              "auth failure: caller \"" + user + "\" provided invalid credentials"));
        }
      }
      return Contexts.interceptCall(
          Context.current().withValue(CALL_AUTHORIZATION, given), call, headers, next);
    }

    private <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
      call.close(status, new Metadata());
      return new ServerCall.Listener<>() {};
    }
  }
}
