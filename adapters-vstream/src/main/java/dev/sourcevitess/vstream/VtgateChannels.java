package dev.sourcevitess.vstream;

import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.port.ChangeStreamException;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/** Opens the gRPC channel to VTGate as the configuration asks. */
final class VtgateChannels {
  /** VTGate's keepalive enforcement refuses pings more often than every 10 s (GOAWAY too_many_pings). */
  static final long KEEPALIVE_SECONDS = 10;
  /** VTGate sends up to 16 MiB per message by default, grpc-java accepts 4 MiB unless told more. */
  static final int MAX_INBOUND_MESSAGE_BYTES = 64 * 1024 * 1024;

  /**
   * Netty's pooled allocator registers JDK Flight Recorder events when its classes load, which
   * starts JFR's metadata machinery: about 100 ms of every run that streams. Off unless asked for.
   */
  private static final String NETTY_JFR = "io.grpc.netty.shaded.io.netty.jfr.enabled";
  /**
   * The channel runs on NIO, yet gRPC asks whether epoll is there, and Netty answers by unpacking
   * its native library from the jar and loading it: a fifth of the connection's set-up. Not done
   * unless asked for.
   */
  private static final String NETTY_NO_NATIVE = "io.grpc.netty.shaded.io.netty.transport.noNative";

  static {
    setUnlessGiven(NETTY_JFR, "false");
    setUnlessGiven(NETTY_NO_NATIVE, "true");
  }

  private static void setUnlessGiven(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }

  private VtgateChannels() {}

  /**
   * A channel to {@code host:grpcPort}. No compression: VTGate compresses only with snappy, which
   * grpc-java lacks, so both sides stay uncompressed.
   */
  static ManagedChannel open(SourceConfig config) {
    // One connection needs one I/O thread. NIO rather than epoll: no native library to unpack and
    // load at start-up, and the same throughput for one connection.
    EventLoopGroup eventLoop = new NioEventLoopGroup(1, new DefaultThreadFactory("vtgate-io", true));
    try {
      NettyChannelBuilder builder =
          NettyChannelBuilder.forAddress(config.host(), config.grpcPort())
              .eventLoopGroup(eventLoop)
              .channelType(NioSocketChannel.class)
              .keepAliveTime(KEEPALIVE_SECONDS, TimeUnit.SECONDS)
              .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES);
      switch (config.tlsMode()) {
        case DISABLED -> builder.usePlaintext();
        case REQUIRED, VERIFY_IDENTITY -> builder.useTransportSecurity().sslContext(tls(config));
      }
      return new EventLoopOwningChannel(builder.build(), eventLoop);
    } catch (RuntimeException e) {
      eventLoop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw e;
    }
  }

  private static SslContext tls(SourceConfig config) {
    try {
      // gRPC turns on host name verification (endpoint identification "HTTPS") by itself when the
      // trust is not TrustAllCertificates
      var tls = GrpcSslContexts.forClient().trustManager(TlsMaterial.trust(config));
      TlsMaterial.clientKey(config).ifPresent(tls::keyManager);
      return tls.build();
    } catch (SSLException | GeneralSecurityException e) {
      throw new ChangeStreamException(
          ChangeStreamException.Reason.OTHER,
          "cannot set up TLS (" + config.tlsMode() + ") for VTGate at " + config.host() + ":"
              + config.grpcPort() + ": " + e.getMessage(),
          e);
    }
  }
}
