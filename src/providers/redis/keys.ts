/**
 * Where everything lives in the database, under the prefix. Project, release and alias names
 * never hold ":" (they are validated before they arrive), so every key names one thing only:
 *
 *   <prefix>projects                        SET   projects that hold a release
 *   <prefix>releases:<project>              HASH  version → release record
 *   <prefix>generations:<project>:<version> HASH  number → manifest (or its tombstone)
 *   <prefix>latest:<project>:<version>      STRING the highest number handed out
 *   <prefix>commits:<project>:<version>     HASH  commit token → number (a retried commit finds its number)
 *   <prefix>blob:<project>:<digest>         STRING a blob's bytes
 *   <prefix>blobs:<project>                 HASH  digest → writtenAt (ms, the server's clock)
 *   <prefix>alias:<project>:<alias>         HASH  entry number → entry bytes
 *   <prefix>aliases:<project>               SET   aliases that have an entry
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  projects(): string {
    return `${this.prefix}projects`;
  }
  releases(project: string): string {
    return `${this.prefix}releases:${project}`;
  }
  generations(project: string, version: string): string {
    return `${this.prefix}generations:${project}:${version}`;
  }
  latest(project: string, version: string): string {
    return `${this.prefix}latest:${project}:${version}`;
  }
  commits(project: string, version: string): string {
    return `${this.prefix}commits:${project}:${version}`;
  }
  blob(project: string, digest: string): string {
    return `${this.prefix}blob:${project}:${digest}`;
  }
  blobs(project: string): string {
    return `${this.prefix}blobs:${project}`;
  }
  alias(project: string, alias: string): string {
    return `${this.prefix}alias:${project}:${alias}`;
  }
  aliases(project: string): string {
    return `${this.prefix}aliases:${project}`;
  }
}
