/**
 * Live configuration: policies that change while the service runs.
 *
 * <p>A {@link dev.courier.runtime.config.ConfigSource} delivers whole versions of flat keys in the
 * format of the generated config skeleton ({@code courier.<service>.timeout}, {@code
 * courier.<service>/<Method>.retry.maxAttempts}, ...): a watched properties or YAML file here, a
 * ZooKeeper node in {@code courier-zookeeper}, a Consul KV key in {@code courier-consul}, chosen by
 * URI with {@link dev.courier.runtime.config.Configs#fromUri}. A {@link
 * dev.courier.runtime.config.LiveConfig} follows one source: it checks each version as a whole
 * against every client and server that follows it ({@link dev.courier.runtime.config.ConfigTarget}),
 * applies it to all of them or to none, and tells its {@link
 * dev.courier.runtime.config.ConfigListener}s what changed or why a version was refused.
 *
 * <p>{@link dev.courier.runtime.config.PolicyKeys} reads the keys; {@link
 * dev.courier.runtime.config.PolicyRules} holds the checks the build makes on a policy, so that a
 * version is refused for what the build would refuse. {@link
 * dev.courier.runtime.config.GrpcServiceConfig} maps grpc's service config onto the same policies,
 * one small class per part of it ({@code ServiceConfigRetry}, {@code ServiceConfigHedging}, {@code
 * ServiceConfigBalancer}, {@code ServiceConfigThrottling}).
 */
package dev.courier.runtime.config;
