using Fleet.Abstractions.Coordination;
using Fleet.Abstractions.Monitoring;

namespace Fleet.Abstractions.Serialization;

// The coordinator's and the monitor's vocabularies, stored as the strings they were (see StringEnumCodec).

[RegisterSerializer]
internal sealed class DecisionActionCodec : StringEnumCodec<DecisionAction>;

[RegisterSerializer]
internal sealed class DecisionStatusCodec : StringEnumCodec<DecisionStatus>;

[RegisterSerializer]
internal sealed class RetrainStatusCodec : StringEnumCodec<RetrainStatus>;

[RegisterSerializer]
internal sealed class VersionRoleCodec : StringEnumCodec<Fleet.Abstractions.Hosts.VersionRole>;

[RegisterSerializer]
internal sealed class SignalKindCodec : StringEnumCodec<SignalKind>;

[RegisterSerializer]
internal sealed class QualityVerdictCodec : StringEnumCodec<QualityVerdict>;
