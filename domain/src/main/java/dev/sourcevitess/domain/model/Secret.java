package dev.sourcevitess.domain.model;

import java.util.Objects;

/** A password: its value is only ever handed to a driver, and it prints as stars. */
public record Secret(String value) {
  public Secret {
    Objects.requireNonNull(value, "value");
  }

  @Override
  public String toString() {
    return "******";
  }
}
