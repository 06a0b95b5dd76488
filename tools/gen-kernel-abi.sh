#!/usr/bin/env bash
# Regenerates the kernel ABI tables, src/Vigil.Core/KernelAbi/*.g.cs, from the kernel's uapi headers as Debian's
# linux-libc-dev installs them: message types, rule fields, operators, filter lists, actions, permissions, field
# comparisons, status and feature bits and AUDIT_ARCH_* from linux/audit.h (with linux/elf-em.h), and one syscall
# table per architecture from its asm/unistd*.h, the native one and those of Debian's linux-libc-dev-<arch>-cross
# packages. Each table is a section of its header, so a constant the kernel adds to a section arrives with the next run.
# Usage: tools/gen-kernel-abi.sh [output directory]. tests/Vigil.Tests/KernelAbi/GeneratedTablesTests.cs runs it into
# a scratch directory and compares the result with the committed files.
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true
cd "$(dirname "$0")/.."
include=/usr/include
out=${1:-src/Vigil.Core/KernelAbi}
mkdir -p "$out"
indent='    '

# One line per syscall table, fields separated by '|': the AUDIT_ARCH_ name of the table; the directories its
# headers are included from; the header defining its __NR_ numbers; and the macros that architecture's compiler
# predefines and its headers test to pick the ABI (asm-generic/unistd.h, which aarch64, riscv64 and loongarch64 use,
# numbers some calls by __BITS_PER_LONG). The headers are preprocessed with nothing of this host's compiler
# predefined, so every table comes out the same on any host.
lp64='-D__LP64__ -D__CHAR_BIT__=8 -D__SIZEOF_LONG__=8 -D__SIZEOF_POINTER__=8'
syscall_tables=(
  "X86_64|$include/x86_64-linux-gnu $include|asm/unistd_64.h|$lp64"
  "I386|$include/x86_64-linux-gnu $include|asm/unistd_32.h|"
  "AARCH64|/usr/aarch64-linux-gnu/include|asm/unistd.h|$lp64"
  # The EABI numbers, which armhf and armel share.
  "ARM|/usr/arm-linux-gnueabihf/include|asm/unistd.h|-D__ARM_EABI__"
  # One table serves PPC64 and PPC64LE: the kernel has one powerpc syscall table for both byte orders.
  "PPC64|/usr/powerpc64le-linux-gnu/include|asm/unistd.h|$lp64 -D__powerpc64__"
  "S390X|/usr/s390x-linux-gnu/include|asm/unistd.h|$lp64 -D__s390x__"
  "RISCV64|/usr/riscv64-linux-gnu/include|asm/unistd.h|$lp64"
  # Debian 12 has no linux-libc-dev-loong64-cross: arch/loongarch/include/uapi/asm/unistd.h (Linux 6.1) is these two
  # defines and an include of asm-generic/unistd.h, which the native linux-libc-dev has.
  "LOONGARCH64|$include|asm-generic/unistd.h|$lp64 -D__ARCH_WANT_SYS_CLONE -D__ARCH_WANT_SYS_CLONE3"
)

# C# names that are not the mechanical PascalCase of the header's words: whole words, then whole constants.
declare -A word_names=(
  [LOGINUID]=LoginUid [SESSIONID]=SessionId [FSTYPE]=FsType [DEVMAJOR]=DevMajor [DEVMINOR]=DevMinor
  [FILETYPE]=FileType [FILTERKEY]=FilterKey [MSGTYPE]=MessageType [PERS]=Personality
)
declare -A constant_names=([AUDIT_FILTER_FS]=Filesystem)

# Every object-like #define of a header, in order, as name, value and comment separated by US (\x1f); continuation
# lines are joined.
defines() {
  awk '
    { line = pending $0; pending = "" }
    /\\$/ { sub(/\\$/, "", line); pending = line; next }
    line ~ /^#define[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]/ {
      sub(/^#define[ \t]+/, "", line)
      name = line; sub(/[ \t].*/, "", name)
      rest = substr(line, length(name) + 1)
      comment = ""
      start = index(rest, "/*")
      if (start > 0) {
        comment = substr(rest, start + 2); sub(/\*\/.*/, "", comment)
        rest = substr(rest, 1, start - 1)
      }
      gsub(/[ \t]+/, " ", rest); gsub(/^ | $/, "", rest)
      gsub(/[ \t]+/, " ", comment); gsub(/^ | $/, "", comment)
      printf "%s\037%s\037%s\n", name, rest, comment
    }' "$1"
}

declare -A value comment
order=()
load() {
  local name raw text
  while IFS=$'\x1f' read -r name raw text; do
    value[$name]=$raw
    comment[$name]=$text
    order+=("$name")
  done < <(defines "$include/$1")
}
load linux/elf-em.h
load linux/audit.h

# Each define whose value is an arithmetic expression becomes a shell variable, so $((NAME)) evaluates it and, through
# bash's recursive evaluation of variables, every define it names.
for name in "${order[@]}"; do
  [[ ${value[$name]} =~ ^[][()|+x0-9A-Za-z_\ ]+$ ]] && declare -g "$name=${value[$name]}"
done

# The defines from $1 up to, not including, $2, in header order; a define that only renames another is left out.
section() {
  local inside=0 name
  for name in "${order[@]}"; do
    [ "$name" = "$2" ] && [ "$inside" = 1 ] && return
    [ "$name" = "$1" ] && inside=1
    if [ "$inside" = 1 ] && ! [[ -v "value[${value[$name]:-?}]" ]]; then
      echo "$name"
    fi
  done
  echo "gen-kernel-abi: $2 does not follow $1 in the header" >&2
  exit 1
}

# PASCAL_CASE words, less the prefix $2, as C# PascalCase in $REPLY: X86_64 keeps the underscore between two digits.
pascal() {
  REPLY=${constant_names[$1]:-}
  [ -n "$REPLY" ] && return
  local word rest IFS=_
  for word in ${1#"${2:-}"}; do
    if [ -n "${word_names[$word]:-}" ]; then
      word=${word_names[$word]}
    else
      rest=${word:1}
      word=${word:0:1}${rest,,}
    fi
    [[ $REPLY =~ [0-9]$ && $word =~ ^[0-9] ]] && REPLY+=_
    REPLY+=$word
  done
}

# A doc comment: the C name and the header's comment, or its expression when the value is computed.
summary() {
  local text=$1 note=${comment[$1]}
  [ -z "$note" ] && [[ ! ${value[$1]} =~ ^(0x)?[0-9A-Fa-f]+$ ]] && note=${value[$1]}
  [ -n "$note" ] && text+=": $note"
  [[ $text =~ [.]$ ]] || text+=.
  text=${text//&/&amp;}
  text=${text//</&lt;}
  text=${text//>/&gt;}
  echo "$indent/// <summary>$text</summary>"
}

# Members or constants for the names read from stdin: emit PREFIX FORMAT TEMPLATE, where TEMPLATE takes the C# name
# and the value in FORMAT.
emit() {
  local first=1 name number
  while read -r name; do
    [ "$first" = 1 ] || echo
    first=0
    summary "$name"
    pascal "$name" "$1"
    # shellcheck disable=SC2059
    printf -v number "$2" $((name))
    # shellcheck disable=SC2059
    printf "$indent$3\n" "$REPLY" "$number"
  done
}

banner() {
  echo "// <auto-generated>tools/gen-kernel-abi.sh from $1; do not edit.</auto-generated>"
  echo 'namespace Vigil.KernelAbi;'
  echo
}

# An enum over a section: type name, summary, value format, section bounds, name prefix, and "flags" for [Flags].
enum_file() {
  local type=$1 doc=$2 format=$3 start=$4 end=$5 prefix=$6 flags=${7:-}
  {
    banner linux/audit.h
    echo "/// <summary>$doc</summary>"
    [ -n "$flags" ] && echo '[Flags]'
    echo "public enum $type : uint"
    echo '{'
    if [ -n "$flags" ]; then
      echo '    /// <summary>No bit set.</summary>'
      echo '    None = 0,'
      echo
    fi
    section "$start" "$end" | emit "$prefix" "$format" '%s = %s,'
    echo '}'
  } > "$out/$type.g.cs"
}

enum_file AuditField 'Rule field ids in <c>audit_rule_data.fields</c>.' '%d' AUDIT_PID AUDIT_NEGATE AUDIT_
enum_file AuditOperator 'Comparison operators in <c>audit_rule_data.fieldflags</c>.' '0x%08X' \
  AUDIT_BIT_MASK AUDIT_OPERATORS AUDIT_
enum_file AuditFilterList 'The filter list a rule belongs to, in <c>audit_rule_data.flags</c>.' '%d' \
  AUDIT_FILTER_USER AUDIT_NR_FILTERS AUDIT_FILTER_
enum_file AuditRuleAction 'What a matching rule does, in <c>audit_rule_data.action</c>.' '%d' \
  AUDIT_NEVER AUDIT_MAX_FIELDS AUDIT_
enum_file AuditPermission 'The accesses a watch (<c>-p rwxa</c>) reports, the value of an AUDIT_PERM field.' '%d' \
  AUDIT_PERM_EXEC AUDIT_MESSAGE_TEXT_MAX AUDIT_PERM_ flags
enum_file AuditStatusMask 'The fields of <c>struct audit_status</c> an AUDIT_SET changes, in its <c>mask</c>.' '0x%04X' \
  AUDIT_STATUS_ENABLED AUDIT_FEATURE_BITMAP_BACKLOG_LIMIT AUDIT_STATUS_ flags
enum_file AuditFeatureBitmap 'The features the kernel reports in <c>audit_status.feature_bitmap</c>.' '0x%02X' \
  AUDIT_FEATURE_BITMAP_BACKLOG_LIMIT AUDIT_FEATURE_BITMAP_ALL AUDIT_FEATURE_BITMAP_ flags

# AUDIT_COMPARE_<A>_TO_<B>, whose value indexes the table.
{
  banner linux/audit.h
  echo '/// <summary>The value of an AUDIT_FIELD_COMPARE rule field: which two fields it compares.</summary>'
  echo 'internal static class AuditFieldComparison'
  echo '{'
  echo '    /// <summary>'
  echo '    /// The two fields of each AUDIT_COMPARE_ value, indexed by it (0 compares nothing): the words of its name in'
  echo '    /// lower case, which are the field names auditctl takes.'
  echo '    /// </summary>'
  echo '    public static readonly string[][] Operands ='
  echo '    ['
  echo '        [],'
  expected=1
  for name in $(section AUDIT_COMPARE_UID_TO_OBJ_UID AUDIT_MAX_FIELD_COMPARE); do
    if [ $((name)) != "$expected" ]; then
      echo "gen-kernel-abi: $name is not $expected, so AUDIT_COMPARE_ values no longer index a table" >&2
      exit 1
    fi
    expected=$((expected + 1))
    pair=${name#AUDIT_COMPARE_}
    left=${pair%%_TO_*} right=${pair#*_TO_}
    echo "        [\"${left,,}\", \"${right,,}\"],"
  done
  echo '    ];'
  echo '}'
} > "$out/AuditFieldComparison.g.cs"

# Message types: 1000-1099 command the audit system, except AUDIT_USER and AUDIT_LOGIN, which arrive as records like
# every type from 1100 on. AUDIT_FIRST_* and AUDIT_LAST_* bound ranges and name no type.
commands=() records=() bounds=()
for name in $(section AUDIT_GET AUDIT_FILTER_USER); do
  if [[ $name =~ _(FIRST|LAST)_ ]]; then
    bounds+=("$name")
  elif [ $((name)) -lt 1100 ] && [[ ! $name =~ ^AUDIT_(USER|LOGIN)$ ]]; then
    commands+=("$name")
  else
    records+=("$name")
  fi
done

{
  banner linux/audit.h
  echo 'public static partial class AuditMessageType'
  echo '{'
  printf '%s\n' "${commands[@]}" | emit AUDIT_ '%d' 'public const ushort %s = %s;'
  echo
  echo '    /// <summary>The AUDIT_ name of a command type for messages and exceptions, or its number.</summary>'
  echo '    public static string NameOf(ushort type) => type switch'
  echo '    {'
  for name in "${commands[@]}"; do
    pascal "$name" AUDIT_
    echo "        $REPLY => \"$name\","
  done
  echo '        _ => type.ToString(System.Globalization.CultureInfo.InvariantCulture),'
  echo '    };'
  echo '}'
} > "$out/AuditMessageType.g.cs"

{
  banner linux/audit.h
  echo 'public static partial class RecordType'
  echo '{'
  printf '%s\n' "${records[@]}" | emit AUDIT_ '%d' 'public const int %s = %s;'
  echo
  printf '%s\n' "${bounds[@]}" | emit AUDIT_ '%d' 'public const int %s = %s;'
  echo
  echo '    /// <summary>The types above by the name auditd writes in <c>type=</c>: the AUDIT_ name without AUDIT_.</summary>'
  echo '    internal static Dictionary<int, string> KernelNames() => new()'
  echo '    {'
  for name in "${records[@]}"; do
    pascal "$name" AUDIT_
    echo "        [$REPLY] = \"${name#AUDIT_}\","
  done
  echo '    };'
  echo '}'
} > "$out/RecordType.g.cs"

{
  banner 'linux/audit.h and linux/elf-em.h'
  echo 'public static partial class SyscallTable'
  echo '{'
  section AUDIT_ARCH_AARCH64 AUDIT_PERM_EXEC | emit AUDIT_ARCH_ '0x%08X' 'public const uint Arch%s = %s;'
  echo '}'
} > "$out/SyscallTable.Arch.g.cs"

# "NUMBER NAME" for each syscall of the header $2 found in the directories $1 with the macros $3: every object-like
# __NR_<lower case> define, expanded by the preprocessor and evaluated here, so __NR3264_ indirections and
# (__NR_SYSCALL_BASE + n) sums become numbers. Left out: a define that only renames another call (arm's
# __NR_sync_file_range2) and asm-generic's bounds (__NR_syscalls, __NR_arch_specific_syscall), which name no call.
syscall_numbers() {
  local flags=(-undef -nostdinc -P) dir name expression
  for dir in $1; do
    flags+=(-I "$dir")
  done
  # shellcheck disable=SC2206
  flags+=($3)
  local names
  names=$(printf '#include <%s>\n' "$2" | cpp "${flags[@]}" -dM - |
    awk '$1 == "#define" && $2 ~ /^__NR_[a-z0-9_]+$/ && $3 !~ /^__NR_[a-z]/ && $2 !~ /^__NR_(syscalls|arch_specific_syscall)$/ { print $2 }')
  {
    printf '#include <%s>\n' "$2"
    for name in $names; do
      printf 'SYSCALL %s %s\n' "${name#__NR_}" "$name"
    done
  } | cpp "${flags[@]}" - | while read -r marker name expression; do
    if [ "$marker" = SYSCALL ]; then
      echo "$((expression)) $name"
    fi
  done | sort -n -k1,1 -k2,2
}

for table in "${syscall_tables[@]}"; do
  IFS='|' read -r arch dirs header macros <<<"$table"
  numbers=$(syscall_numbers "$dirs" "$header" "$macros")
  if [ -z "$numbers" ]; then
    echo "gen-kernel-abi: no syscalls for $arch in $header under $dirs" >&2
    exit 1
  fi
  # A number named twice would make the table's dictionary keep only the last name.
  if repeated=$(cut -d' ' -f1 <<<"$numbers" | uniq -d | head -1) && [ -n "$repeated" ]; then
    echo "gen-kernel-abi: $arch names syscall $repeated twice" >&2
    exit 1
  fi
  pascal "$arch"
  {
    banner "${dirs%% *}/$header"
    echo 'public static partial class SyscallTable'
    echo '{'
    echo "    private static class $REPLY"
    echo '    {'
    echo '        public static readonly ArchSyscalls Syscalls = new(new Dictionary<int, string>'
    echo '        {'
    awk '{ printf "            [%s] = \"%s\",\n", $1, $2 }' <<<"$numbers"
    echo '        });'
    echo '    }'
    echo '}'
  } > "$out/SyscallTable.$REPLY.g.cs"
done
echo "wrote $out"
