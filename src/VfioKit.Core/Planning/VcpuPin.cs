namespace VfioKit.Planning;

/// <summary>One guest vCPU (QEMU's cpu-index: threads innermost) and the host CPU it runs on.</summary>
public sealed record VcpuPin(int Vcpu, int HostCpu);
