package dev.sourcevitess.vstream.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dagger.BindsInstance;
import dagger.Component;
import dev.sourcevitess.domain.model.ReplicationMethod;
import dev.sourcevitess.domain.model.Secret;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.TableCursor;
import dev.sourcevitess.domain.model.TlsMode;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.domain.port.ChangeStreams;
import dev.sourcevitess.domain.port.CursorCodec;
import dev.sourcevitess.vstream.VStreamModule;
import dev.sourcevitess.vstream.fake.FakeVitess;
import dev.sourcevitess.vstream.fake.FakeVtgate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.inject.Singleton;
import org.junit.jupiter.api.Test;

/** The module as an app outside its package wires it: only its public face is used here. */
class VStreamModuleTest {
  @Singleton
  @Component(modules = VStreamModule.class)
  interface App {
    ChangeStreams changeStreams();

    CursorCodec cursorCodec();

    VStreamModule.VtgateConnection vtgate();

    @Component.Factory
    interface Factory {
      App create(@BindsInstance SourceConfig config);
    }
  }

  private static SourceConfig config(String host, int port) {
    return new SourceConfig(host, 3306, port, "commerce", "reader", new Secret("pw"), TlsMode.DISABLED,
        ReplicationMethod.VSTREAM, List.of(), false, false, false, Map.of(), 3, 10, false, true,
        Optional.empty(), 4);
  }

  @Test
  void wiresAndClosesWithoutAnyCall() {
    App app = DaggerVStreamModuleTest_App.factory().create(config("no-such-host.invalid", 443));
    app.changeStreams();
    TableCursor cursor = TableCursor.start("commerce", Shard.UNSHARDED);
    assertEquals(cursor, app.cursorCodec().decode(app.cursorCodec().encode(cursor)));
    app.vtgate().close();
    app.vtgate().close();
  }

  @Test
  void oneChannelServesTheRunUntilClosed() {
    FakeVitess vitess = new FakeVitess();
    vitess.addKeyspace("commerce", "-");
    try (FakeVtgate vtgate = FakeVtgate.tcp(vitess).requireCredentials("reader", "pw")) {
      App app = DaggerVStreamModuleTest_App.factory().create(config("127.0.0.1", vtgate.port()));
      assertSame(app.vtgate(), app.vtgate());
      // the first peek is made early, on a connection of its own; the next through the channel
      app.vtgate().peekInBackground();
      Map<Shard, String> positions = app.changeStreams().currentPositions("commerce");
      assertEquals(Map.of(Shard.UNSHARDED, vitess.keyspace("commerce").shard("-").position()), positions);
      assertEquals(positions, app.changeStreams().currentPositions("commerce"));
      app.vtgate().close();
      ChangeStreamException e = assertThrows(ChangeStreamException.class,
          () -> app.changeStreams().currentPositions("commerce"));
      assertEquals(ChangeStreamException.Reason.OTHER, e.reason());
      assertEquals(2, vtgate.vstreamCalls());
    }
  }
}
