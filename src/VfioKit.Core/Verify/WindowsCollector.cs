namespace VfioKit.Verify;

/// <summary>
/// The PowerShell script that collects, inside a Windows guest, what verify needs: every present PCI
/// display and audio device (device classes Display and MEDIA) and every PCI bridge above each, with
/// the DEVPKEY_PciDevice_* properties Windows keeps for them (pciprop.h), printed as one JSON object
/// that <see cref="WindowsReport"/> reads. Windows PowerShell 5.1 and PowerShell 7 run it; it changes nothing.
/// </summary>
public static class WindowsCollector
{
    /// <summary>The value of the "vfiokit" member that marks the script's output.</summary>
    public const string Marker = "windows-pci";

    /// <summary>Bumped when the output changes; the reader checks it.</summary>
    public const int Version = 1;

    public static string Script { get; } = $$"""
        # vfiokit verify: the PCI Express links of display and audio devices, as JSON.
        # Run in the Windows guest:  powershell -NoProfile -ExecutionPolicy Bypass -File vfiokit-verify.ps1 > links.json
        # then on any machine:       vfiokit verify links.json --config VM
        # Reads device properties only; changes nothing.
        $ErrorActionPreference = 'Stop'
        $keys = @(
            'DEVPKEY_Device_Parent', 'DEVPKEY_Device_BusNumber', 'DEVPKEY_Device_Address',
            'DEVPKEY_PciDevice_DeviceType', 'DEVPKEY_PciDevice_BaseClass', 'DEVPKEY_PciDevice_SubClass',
            'DEVPKEY_PciDevice_CurrentLinkSpeed', 'DEVPKEY_PciDevice_CurrentLinkWidth',
            'DEVPKEY_PciDevice_MaxLinkSpeed', 'DEVPKEY_PciDevice_MaxLinkWidth')

        function Get-VkDevice([string] $InstanceId) {
            $p = @{}
            foreach ($property in @(Get-PnpDeviceProperty -InstanceId $InstanceId -KeyName $keys -ErrorAction SilentlyContinue)) {
                $p[$property.KeyName] = $property.Data
            }
            [ordered] @{
                instanceId       = $InstanceId
                parent           = $p['DEVPKEY_Device_Parent']
                bus              = $p['DEVPKEY_Device_BusNumber']
                address          = $p['DEVPKEY_Device_Address']
                deviceType       = $p['DEVPKEY_PciDevice_DeviceType']
                baseClass        = $p['DEVPKEY_PciDevice_BaseClass']
                subClass         = $p['DEVPKEY_PciDevice_SubClass']
                currentLinkSpeed = $p['DEVPKEY_PciDevice_CurrentLinkSpeed']
                currentLinkWidth = $p['DEVPKEY_PciDevice_CurrentLinkWidth']
                maxLinkSpeed     = $p['DEVPKEY_PciDevice_MaxLinkSpeed']
                maxLinkWidth     = $p['DEVPKEY_PciDevice_MaxLinkWidth']
            }
        }

        $found = New-Object System.Collections.ArrayList
        $done = @{}
        $targets = @(Get-PnpDevice -PresentOnly -Class 'Display', 'MEDIA' -ErrorAction SilentlyContinue |
            Where-Object { $_.InstanceId -like 'PCI\*' })
        foreach ($target in $targets) {
            $id = [string] $target.InstanceId
            # The device, then each PCI bridge above it up to the root complex (ACPI\PNP0A08 is not PCI\).
            for ($depth = 0; $depth -lt 8 -and $id -like 'PCI\*' -and -not $done.ContainsKey($id); $depth++) {
                $done[$id] = $true
                $device = Get-VkDevice $id
                [void] $found.Add($device)
                $id = [string] $device.parent
            }
        }
        [ordered] @{ vfiokit = '{{Marker}}'; version = {{Version}}; devices = $found.ToArray() } |
            ConvertTo-Json -Depth 4 -Compress
        """.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
}
