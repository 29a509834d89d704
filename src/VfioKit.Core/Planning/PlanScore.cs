namespace VfioKit.Planning;

/// <summary>How good a plan is; every count is 0 (and spanned = minimum) in an ideal plan.</summary>
/// <param name="SplitSmtPairs">Guest SMT pairs (vCPU 2k, 2k+1) not on one host core's siblings.</param>
/// <param name="VcpusOffNode">vCPUs on a host node other than the chosen one.</param>
/// <param name="L3DomainsSpanned">Host L3 domains the vCPUs use.</param>
/// <param name="L3DomainsMinimum">The fewest L3 domains that could hold the vCPUs' cores.</param>
/// <param name="MemoryNodesOffNode">Memory nodes other than the vCPUs' node.</param>
/// <param name="HostCpusLeft">Online host CPUs not given to vCPUs.</param>
public sealed record PlanScore(int SplitSmtPairs, int VcpusOffNode, int L3DomainsSpanned, int L3DomainsMinimum, int MemoryNodesOffNode, int HostCpusLeft)
{
    public bool Ideal => SplitSmtPairs == 0 && VcpusOffNode == 0 && L3DomainsSpanned <= L3DomainsMinimum && MemoryNodesOffNode == 0;
}
