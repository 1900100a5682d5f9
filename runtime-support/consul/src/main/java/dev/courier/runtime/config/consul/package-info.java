/**
 * Live configuration in Consul's KV store: {@link dev.courier.runtime.config.consul.ConsulConfigSource}
 * follows one key holding properties text with blocking queries, and {@code
 * consul://host:port/key/path} finds it through {@link dev.courier.runtime.config.Configs#fromUri}.
 */
package dev.courier.runtime.config.consul;
