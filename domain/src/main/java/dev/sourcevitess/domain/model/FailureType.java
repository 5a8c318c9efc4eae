package dev.sourcevitess.domain.model;

/** Who can fix a failure: the user (config), a retry (transient), or us (system). */
public enum FailureType {
  CONFIG_ERROR,
  TRANSIENT_ERROR,
  SYSTEM_ERROR
}
