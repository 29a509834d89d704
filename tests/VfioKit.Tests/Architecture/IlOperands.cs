using System.Reflection.Metadata;

namespace VfioKit.Tests.Architecture;

/// <summary>How many operand bytes follow each IL opcode (ECMA-335 III), so a method body can be walked token by
/// token; <see cref="Token"/> marks the opcodes whose operand is a metadata token.</summary>
internal static class IlOperands
{
    public const int Token = -1;

    public static int Size(int op, ref BlobReader il) => op == 0x45 ? 4 * il.ReadInt32() : Fixed(op);

    /// <summary><see cref="Size(int, ref BlobReader)"/> over a body as bytes (MethodBody.GetILAsByteArray), with
    /// <paramref name="operand"/> starting where the opcode's operand does.</summary>
    public static int Size(int op, ReadOnlySpan<byte> operand) =>
        op == 0x45 ? 4 + 4 * BitConverter.ToInt32(operand) : Fixed(op);

    /// <summary>Every opcode but switch (0x45, whose operand holds its own length).</summary>
    private static int Fixed(int op) => op switch
    {
        >= 0x0E and <= 0x13 => 1,       // ldarg.s .. stloc.s
        0x1F => 1,                       // ldc.i4.s
        0x20 or 0x22 => 4,               // ldc.i4, ldc.r4
        0x21 or 0x23 => 8,               // ldc.i8, ldc.r8
        0x27 or 0x28 or 0x29 => Token,   // jmp, call, calli
        >= 0x2B and <= 0x37 => 1,        // short branches
        >= 0x38 and <= 0x44 => 4,        // branches
        0x6F or (>= 0x70 and <= 0x75) => Token, // callvirt, cpobj, ldobj, ldstr, newobj, castclass, isinst
        0x79 => Token,                   // unbox
        >= 0x7B and <= 0x81 => Token,    // ldfld .. stobj
        0x8C or 0x8D or 0x8F => Token,   // box, newarr, ldelema
        0xA3 or 0xA4 or 0xA5 => Token,   // ldelem, stelem, unbox.any
        0xC2 or 0xC6 or 0xD0 => Token,   // refanyval, mkrefany, ldtoken
        0xDD => 4,                       // leave
        0xDE => 1,                       // leave.s
        0xFE06 or 0xFE07 => Token,       // ldftn, ldvirtftn
        >= 0xFE09 and <= 0xFE0E => 2,    // ldarg .. stloc
        0xFE12 or 0xFE19 => 1,           // unaligned., no.
        0xFE15 or 0xFE16 or 0xFE1C => Token, // initobj, constrained., sizeof
        _ => 0,
    };
}
