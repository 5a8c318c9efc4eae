package dev.sourcevitess.domain.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** TRUNCATE statements, which VStream sends without row deletes. */
class DdlTruncateTest {
  @Test
  void aTruncateOfTheTableIsRecognisedWhateverItsSpelling() {
    for (String statement : List.of("truncate table customer", "TRUNCATE `customer`",
        "truncate table `commerce`.`customer`;", "/* vt */ truncate commerce.customer")) {
      assertTrue(new ChangeEvent.Ddl(statement).truncates("customer"), statement);
    }
    assertFalse(new ChangeEvent.Ddl("truncate table orders").truncates("customer"));
    assertFalse(new ChangeEvent.Ddl("alter table customer add column x int").truncates("customer"));
  }
}
