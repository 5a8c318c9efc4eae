package dev.sourcevitess.bench;

import binlogdata.Binlogdata;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.Context;
import io.vitess.proto.Topodata;
import io.vitess.proto.Vtgate;
import io.vitess.proto.grpc.VitessGrpc;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * The baseline of the VStream decode benchmark: a bare gRPC client that asks for the same stream
 * as the connector (same request, same generated stub, same channel settings), only receives and
 * counts its events until it has them all, then cancels, as the connector does.
 *
 * <pre>BareClient --port P --keyspace K --shard - --table t --position "" --events N</pre>
 *
 * With {@code --shard "" --position current --events 1} it makes the connector's peek instead.
 */
public final class BareClient {
  private BareClient() {}

  public static void main(String[] args) throws Exception {
    // as the connector does (VtgateChannels): Netty's allocator events would start JFR's metadata,
    // a start-up cost that is no part of the wire's
    System.setProperty("io.grpc.netty.shaded.io.netty.jfr.enabled", "false");
    System.setProperty("io.grpc.netty.shaded.io.netty.transport.noNative", "true");
    BenchVtgate.Args a = new BenchVtgate.Args(args);
    int port = Integer.parseInt(a.get("port", "15991"));
    String keyspace = a.get("keyspace", "bench_vs");
    String shard = a.get("shard", "-");
    String table = a.get("table", "t");
    String position = a.get("position", "");
    long expected = Long.parseLong(a.get("events", "0"));
    // as the connector does (VtgateChannels): one I/O thread of its own, stopped at the end, so
    // the JVM does not wait at exit for a thread still in the kernel
    NioEventLoopGroup eventLoop = new NioEventLoopGroup(1, new DefaultThreadFactory("bare-io", true));
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
        .eventLoopGroup(eventLoop).channelType(NioSocketChannel.class)
        .maxInboundMessageSize(64 << 20).build();
    Vtgate.VStreamRequest request = Vtgate.VStreamRequest.newBuilder()
        .setTabletType(Topodata.TabletType.PRIMARY)
        .setVgtid(Binlogdata.VGtid.newBuilder().addShardGtids(Binlogdata.ShardGtid.newBuilder()
            .setKeyspace(keyspace).setShard(shard).setGtid(position)))
        .setFilter(Binlogdata.Filter.newBuilder().addRules(Binlogdata.Rule.newBuilder()
            .setMatch(table).setFilter("SELECT * FROM `" + table + "`")))
        .setFlags(Vtgate.VStreamFlags.newBuilder().setMinimizeSkew(true).setHeartbeatInterval(10)
            .setCells("zone1").setIncludeReshardJournalEvents(true))
        .build();
    long events = 0;
    long rows = 0;
    Context.CancellableContext call = Context.current().withCancellation();
    Context previous = call.attach();
    try {
      Iterator<Vtgate.VStreamResponse> responses = VitessGrpc.newBlockingStub(channel)
          .withDeadlineAfter(300, TimeUnit.SECONDS).vStream(request);
      while (events < expected && responses.hasNext()) {
        Vtgate.VStreamResponse response = responses.next();
        for (int i = 0; i < response.getEventsCount(); i++) {
          Binlogdata.VEvent event = response.getEvents(i);
          if (event.getType() == Binlogdata.VEventType.ROW) {
            rows += event.getRowEvent().getRowChangesCount();
          }
          events++;
        }
      }
    } finally {
      call.detach(previous);
      call.cancel(null);
    }
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2000);
    System.out.println("events=" + events + " rows=" + rows);
    // as the connector does (Main): exit at once, not after Netty's global executor thread, which
    // is not a daemon and lingers for a second after a cancelled call
    System.exit(events < expected ? 1 : 0);
  }
}
