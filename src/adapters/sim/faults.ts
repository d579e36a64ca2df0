/**
 * Faults a sim cluster can be switched into at runtime, so fault tests can break the grid the way real
 * clusters break: the API is unreachable, the scheduler refuses work, it forgets a job, it accepts a job
 * but the answer never comes back, or every call is slow.
 */
import { ClusterRefusedError, ClusterUnavailableError } from '../port.js';

/** The fault switches of one sim cluster. Every switch starts off. */
export class SimFaults {
  private unreachable = false;
  private refuseReason: string | undefined;
  private loseNextCount = 0;
  private dropAckCount = 0;
  private latency = 0;

  constructor(private readonly clusterId: string) {}

  /** While on, every call but `health()` and `close()` throws ClusterUnavailableError and no events are delivered. */
  setUnreachable(on: boolean): void {
    this.unreachable = on;
  }

  /** Is the cluster cut off now? */
  isUnreachable(): boolean {
    return this.unreachable;
  }

  /** While set, new submits throw ClusterRefusedError with this reason; `false` switches refusal off. */
  setRefuse(reason: string | false): void {
    this.refuseReason = reason === false ? undefined : reason;
  }

  /** The next `count` jobs are accepted (submit returns normally) and then forgotten at once: status says `lost`. */
  loseNext(count = 1): void {
    this.loseNextCount += count;
  }

  /**
   * The next `count` submits create the job but then throw ClusterUnavailableError, as if the reply was lost
   * on the wire: the case where the control plane must find the job by key rather than submit it again.
   */
  dropNextAck(count = 1): void {
    this.dropAckCount += count;
  }

  /** Real milliseconds every call waits before it answers (0 = none). */
  setLatency(ms: number): void {
    this.latency = Math.max(0, ms);
  }

  /** Wait the configured latency, then throw if unreachable. Called at the start of every port call. */
  async gate(operation: string): Promise<void> {
    if (this.latency > 0) await new Promise((r) => setTimeout(r, this.latency));
    if (this.unreachable) throw new ClusterUnavailableError(`sim cluster ${this.clusterId} is unreachable (fault injected) during ${operation}`);
  }

  /** Throw if refusal is switched on. */
  checkRefuse(): void {
    if (this.refuseReason !== undefined) throw new ClusterRefusedError(`sim cluster ${this.clusterId} refuses new jobs: ${this.refuseReason}`);
  }

  /** Consume one "lose the next job" token, if any. */
  takeLoseNext(): boolean {
    if (this.loseNextCount === 0) return false;
    this.loseNextCount--;
    return true;
  }

  /** Consume one "drop the acknowledgement" token, if any. */
  takeDropAck(): boolean {
    if (this.dropAckCount === 0) return false;
    this.dropAckCount--;
    return true;
  }

  /** Switch every fault off. */
  reset(): void {
    this.unreachable = false;
    this.refuseReason = undefined;
    this.loseNextCount = 0;
    this.dropAckCount = 0;
    this.latency = 0;
  }
}
