package dev.sourcevitess.app;

import dagger.BindsInstance;
import dagger.Component;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.port.ReadOutput;
import dev.sourcevitess.domain.service.CheckConnection;
import dev.sourcevitess.domain.service.DiscoverCatalog;
import dev.sourcevitess.domain.service.ReadStreams;
import dev.sourcevitess.mysql.MysqlModule;
import dev.sourcevitess.vstream.VStreamModule;
import java.time.Clock;
import javax.inject.Singleton;

/** Assembles the adapters into the use cases, once the config is known. */
@Singleton
@Component(modules = {MysqlModule.class, VStreamModule.class, UseCaseModule.class})
interface SourceComponent {
  CheckConnection check();

  DiscoverCatalog discover();

  ReadStreams read();

  /** The run's gRPC channel to VTGate, opened on first use; closed at the end. */
  VStreamModule.VtgateConnection vtgate();

  @Component.Factory
  interface Factory {
    SourceComponent create(@BindsInstance SourceConfig config, @BindsInstance ReadOutput output,
        @BindsInstance Clock clock);
  }
}
