package dev.sourcevitess.mysql;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dagger.BindsInstance;
import dagger.Component;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.port.RowSnapshots;
import dev.sourcevitess.domain.port.SchemaReader;
import org.junit.jupiter.api.Test;

/** The module wires into a component the way the app's will: SourceConfig bound as an instance. */
class MysqlModuleTest {
  @Component(modules = MysqlModule.class)
  interface Ports {
    SchemaReader schemaReader();

    RowSnapshots rowSnapshots();

    @Component.Factory
    interface Factory {
      Ports create(@BindsInstance SourceConfig config);
    }
  }

  @Test
  void providesWorkingPortsFromTheConfig() {
    try (TestDatabase db = TestDatabase.create("module")) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY); INSERT INTO t VALUES (1), (2)");
      Ports ports = DaggerMysqlModuleTest_Ports.factory().create(db.config());
      assertFalse(ports.schemaReader().checkConnection().serverVersion().isBlank());
      var table = ports.schemaReader().tables().get(0);
      int[] rows = {0};
      ports.rowSnapshots().scan(table, null, row -> rows[0]++);
      assertTrue(rows[0] == 2, "rows: " + rows[0]);
    }
  }
}
