[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("bench")]
