package dev.sourcevitess.vstream;

import dagger.Module;
import dagger.Provides;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.port.ChangeStreams;
import dev.sourcevitess.domain.port.CursorCodec;
import java.time.Duration;
import javax.inject.Singleton;

/**
 * The VStream adapter: {@link ChangeStreams} over VTGate's gRPC API and the {@link CursorCodec}
 * of PlanetScale's cursors. The app's component binds the {@link SourceConfig} and must be
 * {@code @Singleton}: there is one gRPC channel per run, opened on first use (so {@code spec} and
 * {@code check} never open it) and closed through {@link VtgateConnection#close()} at the end.
 */
@Module
public final class VStreamModule {
  /** How often VTGate sends a HEARTBEAT while a stream is idle; VTGate counts in whole seconds. */
  static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(10);

  private VStreamModule() {}

  /** The app's handle on the VTGate channel: closing it ends the run's gRPC connection, if any. */
  public interface VtgateConnection extends AutoCloseable {
    /**
     * Opens the channel and starts connecting on a background thread, for a run that will stream:
     * the connection is then set up while the run reads its files and the schema. A failure here
     * is not reported; the first call meets it.
     */
    void connectInBackground();

    /** Shuts the channel down if it was opened; later calls through it fail. Idempotent. */
    @Override
    void close();
  }

  @Provides
  @Singleton
  static LazyVtgateChannel vtgateChannel(SourceConfig config) {
    return new LazyVtgateChannel(
        () -> VtgateChannels.open(config), config.host() + ":" + config.grpcPort());
  }

  @Provides
  static VtgateConnection vtgateConnection(LazyVtgateChannel channel) {
    return channel;
  }

  @Provides
  static ChangeStreams changeStreams(LazyVtgateChannel channel, SourceConfig config) {
    return new VtgateChangeStreams(
        channel,
        new VtgateCredentials(config.username(), config.password()),
        config,
        HEARTBEAT_INTERVAL);
  }

  @Provides
  static CursorCodec cursorCodec() {
    return new ProtoCursorCodec();
  }
}
