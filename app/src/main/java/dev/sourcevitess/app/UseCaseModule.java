package dev.sourcevitess.app;

import dagger.Module;
import dagger.Provides;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.port.ChangeStreams;
import dev.sourcevitess.domain.port.CursorCodec;
import dev.sourcevitess.domain.port.Pause;
import dev.sourcevitess.domain.port.ReadOutput;
import dev.sourcevitess.domain.port.RowSnapshots;
import dev.sourcevitess.domain.port.SchemaReader;
import dev.sourcevitess.domain.service.CheckConnection;
import dev.sourcevitess.domain.service.DiscoverCatalog;
import dev.sourcevitess.domain.service.ReadStreams;
import java.time.Clock;

/** The use cases, built from the ports; the domain itself knows nothing of Dagger. */
@Module
final class UseCaseModule {
  private UseCaseModule() {}

  @Provides
  static CheckConnection check(SourceConfig config, SchemaReader schema, ChangeStreams changes) {
    return new CheckConnection(config, schema, changes);
  }

  @Provides
  static DiscoverCatalog discover(SourceConfig config, SchemaReader schema, ChangeStreams changes) {
    return new DiscoverCatalog(config, schema, changes);
  }

  @Provides
  static ReadStreams read(SourceConfig config, SchemaReader schema, RowSnapshots snapshots, ChangeStreams changes,
      CursorCodec codec, ReadOutput output, Clock clock, Pause pause) {
    return new ReadStreams(config, schema, snapshots, changes, codec, output, clock, pause);
  }

  @Provides
  static Pause pause() {
    return duration -> Thread.sleep(duration.toMillis());
  }
}
