package dev.sourcevitess.domain.model;

/** What a successful connection reports about the server. */
public record ConnectionInfo(String serverVersion) {}
